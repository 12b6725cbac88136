namespace Emergence.Engine.Daemon;

/// <summary>The daemon's live dashboard: one self-contained page polling the status API.</summary>
internal static class Dashboard
{
    public const string Html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Emergence daemon</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
          table { border-collapse: collapse; width: 100%; }
          th, td { border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top; }
          th { background: #f5f5f5; }
          .running { color: #17803d; } .failed, .invalid { color: #b3261e; } .backoff, .paused { color: #a15c00; }
          code { font-size: 12px; }
        </style></head>
        <body>
        <h1>Emergence daemon</h1>
        <table><thead><tr><th>experiment</th><th>state</th><th>step</th><th>steps/s</th><th>last checkpoint</th>
        <th>restarts</th><th>strategies</th><th>metrics</th><th>reason</th></tr></thead><tbody id="rows"></tbody></table>
        <script>
        const esc = s => String(s ?? '').replace(/[&<>]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
        const kv = o => Object.entries(o ?? {}).map(([k, v]) => `${esc(k)}=${esc(typeof v === 'number' ? +v.toPrecision(5) : v)}`).join('<br>');
        async function refresh() {
          try {
            const r = await fetch('/api/experiments');
            const data = await r.json();
            document.getElementById('rows').innerHTML = data.experiments.map(e =>
              `<tr><td>${esc(e.name)}</td><td class="${esc(e.state)}">${esc(e.state)}</td><td>${esc(e.step)}</td>
               <td>${esc(e.rate)}</td><td>${esc(e.last_checkpoint)}</td><td>${esc(e.restarts)}</td>
               <td><code>${kv(e.strategies)}</code></td><td><code>${kv(e.metrics)}</code></td><td>${esc(e.reason)}</td></tr>`).join('');
          } catch (err) { /* daemon restarting */ }
        }
        refresh(); setInterval(refresh, 1000);
        </script></body></html>
        """;
}
