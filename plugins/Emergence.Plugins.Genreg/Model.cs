using System.Globalization;
using Emergence.Contracts.Components;
using Emergence.Contracts.State;

namespace Emergence.Plugins.Genreg;

/// <summary>Rows of named values, one per generation (GA) or log interval (SA/HC); checkpointed whole.</summary>
internal sealed class Trajectory(string[] columns)
{
    public string[] Columns { get; private set; } = columns;
    public List<double[]> Rows { get; } = [];

    public int Index(string column) => Array.IndexOf(Columns, column);

    public IEnumerable<double> Column(string column)
    {
        int c = Index(column);
        return c < 0 ? [] : Rows.Select(r => r[c]);
    }

    public void Add(double[] row)
    {
        if (row.Length != Columns.Length) throw new ArgumentException($"row has {row.Length} values for {Columns.Length} columns");
        Rows.Add(row);
    }

    public string ToCsv()
    {
        var sb = new System.Text.StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var r in Rows) sb.Append(string.Join(',', r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }

    public void Save(IStateWriter w)
    {
        w.WriteString("columns", string.Join(',', Columns));
        var flat = new double[Rows.Count * Columns.Length];
        for (int i = 0; i < Rows.Count; i++) Rows[i].CopyTo(flat, i * Columns.Length);
        w.WriteDoubles("rows", flat, [Rows.Count, Columns.Length]);
    }

    public void Load(IStateReader r)
    {
        Columns = r.ReadString("columns").Split(',');
        var flat = r.ReadDoubles("rows", out _);
        Rows.Clear();
        for (int i = 0; i < flat.Length / Columns.Length; i++) Rows.Add(flat.AsSpan(i * Columns.Length, Columns.Length).ToArray());
    }
}

/// <summary>
/// The Genreg model: the task, the expanded inputs (rebuilt from the <c>features</c> strategy, never saved), and what every
/// trainer reports — the champion genome, the trajectory, the saturation heatmap and the milestones. The trainer owns
/// its algorithm's state (population, annealing chain).
/// </summary>
internal sealed class GenregModel(ModelOptions options) : IModel
{
    public ModelOptions Options { get; } = options;
    public TaskData Task { get; } = new(options.Task);

    /// <summary>The current expanded inputs (set by the trainer from the <c>features</c> slot).</summary>
    public FeatureSet? Features { get; set; }

    /// <summary>The trainer, for visualizers and commands.</summary>
    public IGenregTrainer? Trainer { get; set; }

    /// <summary>The best genome so far (GA: rank 0 of the last evaluated generation; SA/HC: the best seen).</summary>
    public Genome? Champion { get; set; }

    public Trajectory Trajectory { get; set; } = new([]);

    /// <summary>Per trajectory row, the champion's per-unit saturation s_j.</summary>
    public List<double[]> Heatmap { get; } = [];

    /// <summary>First generation (or proposal) at which the best MSE fell below each threshold.</summary>
    public SortedDictionary<double, long> Milestones { get; } = new(Comparer<double>.Create((a, b) => b.CompareTo(a)));

    public static readonly double[] MilestoneThresholds = [0.01, 0.001, 0.0008];

    /// <summary>Why the trainer finished (null while running).</summary>
    public string? StopReason { get; set; }

    /// <summary>Records milestones reached at <paramref name="at"/>; returns the thresholds newly crossed.</summary>
    public List<double> Milestone(double mse, long at)
    {
        var crossed = new List<double>();
        foreach (double t in MilestoneThresholds)
            if (mse < t && Milestones.TryAdd(t, at)) crossed.Add(t);
        return crossed;
    }

    public void Save(IStateWriter writer)
    {
        writer.WriteBool("has_champion", Champion is not null);
        if (Champion is not null) GenomeCodec.Instance.Save(Champion, writer.Section("champion"));
        Trajectory.Save(writer.Section("trajectory"));
        var flat = Heatmap.SelectMany(r => r).ToArray();
        writer.WriteDoubles("heatmap", flat, [Heatmap.Count, Options.Hidden]);
        writer.WriteDoubles("milestone_thresholds", Milestones.Keys.ToArray());
        writer.WriteInt64s("milestone_at", Milestones.Values.ToArray());
        writer.WriteString("stop_reason", StopReason ?? "");
    }

    public void Load(IStateReader reader)
    {
        Champion = reader.ReadBool("has_champion") ? GenomeCodec.Instance.Load(reader.Section("champion")) : null;
        Trajectory = new Trajectory([]);
        Trajectory.Load(reader.Section("trajectory"));
        var flat = reader.ReadDoubles("heatmap", out _);
        Heatmap.Clear();
        for (int i = 0; i < flat.Length / Options.Hidden; i++) Heatmap.Add(flat.AsSpan(i * Options.Hidden, Options.Hidden).ToArray());
        var keys = reader.ReadDoubles("milestone_thresholds", out _);
        var at = reader.ReadInt64s("milestone_at", out _);
        Milestones.Clear();
        for (int i = 0; i < keys.Length; i++) Milestones[keys[i]] = at[i];
        string reason = reader.ReadString("stop_reason");
        StopReason = reason.Length == 0 ? null : reason;
    }
}

/// <summary>What visualizers and commands need from any Genreg trainer.</summary>
internal interface IGenregTrainer
{
    /// <summary>Label of the trajectory's x axis ("generation" or "proposal").</summary>
    string Axis { get; }

    /// <summary>Evaluates a genome on the current features for a chart (predictions kept; draws from a visualizer stream only).</summary>
    Evaluation Inspect(Genome genome);
}
