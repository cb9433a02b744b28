/**
 * The stable codes of {@link CodedTypeError}: which argument or option is wrong. Switch on these,
 * never on messages (the messages say how to fix it and may be reworded).
 */
export type ArgumentErrorCode =
  | 'invalid_config'
  | 'invalid_team_url'
  | 'invalid_client_id'
  | 'invalid_redirect_uri'
  | 'invalid_scopes'
  | 'invalid_storage'
  | 'invalid_refresh_leeway'
  | 'invalid_client_authentication'
  | 'invalid_client_secret'
  | 'client_secret_in_browser'
  | 'invalid_endpoint'
  | 'invalid_api_origin'
  | 'invalid_api_base_url'
  | 'invalid_issuer'
  | 'invalid_return_to'
  | 'invalid_argument'
  // @celonis-auth/server's options (the codes above apply there too where they fit):
  | 'invalid_option'
  | 'invalid_body_encoding'
  | 'invalid_retry'
  | 'invalid_deps'
  | 'invalid_allowed_origins'
  | 'invalid_relay_path'
  | 'invalid_base_path'
  | 'invalid_static_key'
  | 'invalid_session_store'
  | 'invalid_encryption_keys'
  | 'invalid_cookie_option'
  | 'invalid_fault';

/**
 * A `TypeError` for a bad argument or option, thrown synchronously, with a stable `code`
 * (oauth4webapi's `CodedTypeError` is the model).
 *
 * @example
 * ```ts
 * try { createCelonisAuth(config) } catch (e) { if (e instanceof CodedTypeError && e.code === 'invalid_team_url') ... }
 * ```
 */
export class CodedTypeError extends TypeError {
  override readonly name = 'CodedTypeError';
  /** Which argument is wrong. */
  readonly code: ArgumentErrorCode;

  constructor(message: string, code: ArgumentErrorCode) {
    super(message);
    this.code = code;
  }
}
