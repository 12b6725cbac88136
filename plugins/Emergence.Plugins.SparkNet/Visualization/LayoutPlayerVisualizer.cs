using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Emergence.Contracts.Components;
using Emergence.Contracts.State;
using Emergence.Plugins.SparkNet.Model;

namespace Emergence.Plugins.SparkNet.Visualization;

/// <summary>Options of the <c>layout_player</c> HTML.</summary>
public sealed class LayoutPlayerOptions
{
    /// <summary>Frames kept (oldest dropped). Default 200; 1 to 100,000.</summary>
    [Description("Layout frames kept in the player (oldest dropped). Default 200. Range 1..100000.")]
    [Range(1, 100_000)]
    public int MaxFrames { get; set; } = 200;

    /// <summary>Half-width of the view. Default 3.</summary>
    [Description("Half-width of the view: extent [-e, e]. Default 3. Range > 0.")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double Extent { get; set; } = 3;
}

/// <summary>
/// A self-contained HTML player of the layout frames seen at each render (JSON embedded, canvas,
/// play/pause and a scrub slider, no external resources). The frames are checkpointed with the run
/// (<see cref="IStateful"/>), so a resumed run's player continues the same sequence.
/// </summary>
internal sealed class LayoutPlayerVisualizer(LayoutPlayerOptions options, SparkNetModel model) : IVisualizer, IStateful
{
    private readonly Queue<string> _frames = new();

    public void Save(IStateWriter writer)
    {
        writer.WriteInt64("count", _frames.Count);
        writer.WriteString("frames", string.Join('\n', _frames));
    }

    public void Load(IStateReader reader)
    {
        _frames.Clear();
        if (reader.ReadInt64("count") == 0) return;
        foreach (var frame in reader.ReadString("frames").Split('\n').TakeLast(options.MaxFrames)) _frames.Enqueue(frame);
    }

    public void Render(in RenderContext context)
    {
        var layout = model.Layout;
        layout.EnsureCurrent();
        if (layout.ComputedCall == 0) return;
        var frame = new StringBuilder();
        frame.Append(CultureInfo.InvariantCulture, $"{{\"step\":{layout.ComputedStep},\"x\":[");
        AppendArray(frame, layout.X);
        frame.Append("],\"y\":[");
        AppendArray(frame, layout.Y);
        frame.Append("]}");
        if (_frames.Count == options.MaxFrames) _frames.Dequeue();
        _frames.Enqueue(frame.ToString());
        context.Artifacts.Text("layout_player", "html", Html(string.Join(",\n", _frames)));
    }

    private static void AppendArray(StringBuilder sb, float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(values[i].ToString("0.####", CultureInfo.InvariantCulture));
        }
    }

    private string Html(string frames) => Template
        .Replace("__FRAMES__", frames, StringComparison.Ordinal)
        .Replace("__EXTENT__", options.Extent.ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("__K__", model.Sparks.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private const string Template = """
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>SparkNet layout</title>
<style>body{background:#1e1e1e;color:#ddd;font-family:sans-serif;margin:12px}canvas{background:#1e1e1e;border:1px solid #444}#bar{display:flex;gap:8px;align-items:center;width:640px}#scrub{flex:1}</style>
</head><body>
<div id="title">SparkNet force layout</div>
<canvas id="c" width="640" height="640"></canvas>
<div id="bar"><button id="play">Play</button><input id="scrub" type="range" min="0" value="0"><span id="label"></span></div>
<script>
const frames = [
__FRAMES__
];
const E = __EXTENT__, K = __K__;
const c = document.getElementById('c'), g = c.getContext('2d');
const scrub = document.getElementById('scrub'), label = document.getElementById('label'), play = document.getElementById('play');
scrub.max = Math.max(frames.length - 1, 0);
let i = 0, timer = null;
function draw() {
  const f = frames[i]; if (!f) return;
  g.fillStyle = '#1e1e1e'; g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = 'rgba(0,255,255,0.7)';
  const s = c.width / (2 * E);
  for (let k = 0; k < f.x.length; k++) { g.beginPath(); g.arc((f.x[k] + E) * s, (E - f.y[k]) * s, 1.6, 0, 2 * Math.PI); g.fill(); }
  scrub.value = i; label.textContent = 'step ' + f.step + ' (' + (i + 1) + '/' + frames.length + '), K=' + K;
}
play.onclick = () => {
  if (timer) { clearInterval(timer); timer = null; play.textContent = 'Play'; return; }
  play.textContent = 'Pause';
  timer = setInterval(() => { i = (i + 1) % frames.length; draw(); }, 200);
};
scrub.oninput = () => { i = +scrub.value; draw(); };
draw();
</script></body></html>
""";
}
