import { useApi } from '../components/useApi.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Loading } from '../components/Loading.js';
import type { Panel } from '../panels.js';

type Row = Record<string, string | number>;

/** One data panel: calls its API through `auth.fetch` and shows the rows. */
export function ApiPanelPage({ panel }: { panel: Panel }) {
  const result = useApi<{ content: Row[] }>(panel.api);
  return (
    <section className="card" aria-labelledby="panel-title">
      <header className="card-header">
        <div>
          <h1 id="panel-title">{panel.title}</h1>
          <p className="muted">{panel.description}</p>
        </div>
        <button type="button" className="button secondary" onClick={result.reload}>
          Reload
        </button>
      </header>
      {result.state === 'loading' ? <Loading /> : null}
      {result.state === 'error' ? <ErrorNotice error={result.error} fallback={result.message} /> : null}
      {result.state === 'ok' ? (
        <table>
          <thead>
            <tr>
              {panel.columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.data.content.map((row, i) => (
              <tr key={String(row.id ?? i)}>
                {panel.columns.map((c) => (
                  <td key={c.key}>{c.kind === 'date' ? new Date(String(row[c.key])).toLocaleString() : String(row[c.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
