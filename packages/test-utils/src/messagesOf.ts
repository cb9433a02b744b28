/** The messages of an error and its causes (10 deep) as one JSON text, to check that no secret leaks into them. */
export function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth += 1) messages.push(e.message);
  return JSON.stringify(messages);
}
