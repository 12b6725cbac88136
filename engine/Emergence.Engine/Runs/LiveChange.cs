using Emergence.Engine.Manifests;

namespace Emergence.Engine.Runs;

/// <summary>One manifest key whose resolved value differs; null = absent on that side.</summary>
internal sealed record KeyChange(string Key, string? Old, string? New);

/// <summary>A live change that cannot be applied, with why and what to do instead.</summary>
internal sealed record RejectedChange(string Key, string Message, string Fix)
{
    public override string ToString() => $"{Key}: {Message}; {Fix}";
}

/// <summary>
/// What a live change of a running experiment's manifest does, worked out completely before anything
/// is touched: the keys that differ, strategies rebuilt (built already, not yet installed), live-editable
/// options assigned into the running components' own options objects, visualizers rebuilt, and the keys
/// that are restart-only (any of those rejects the whole change).
/// </summary>
internal sealed class LiveChangePlan
{
    public required IReadOnlyList<KeyChange> Changes { get; init; }
    public required IReadOnlyList<RejectedChange> Rejected { get; init; }

    /// <summary>Slot → (old strategy name, new strategy name).</summary>
    public required IReadOnlyDictionary<string, (string Old, string New)> StrategySwaps { get; init; }

    /// <summary>Keys of live-editable options that are assigned in place.</summary>
    public required IReadOnlyList<string> LiveOptions { get; init; }

    public bool IsEmpty => Changes.Count == 0;
    public bool IsValid => Rejected.Count == 0;

    internal BoundManifest Result { get; init; } = null!;
    internal Dictionary<string, object> BuiltStrategies { get; } = new(StringComparer.Ordinal);
    internal HashSet<string> RebuiltVisualizers { get; } = new(StringComparer.Ordinal);
    internal List<Action> Assignments { get; } = [];
}

/// <summary>
/// Plans and applies live changes. Which keys may change while an experiment runs:
/// <list type="bullet">
/// <item><c>strategies.SLOT</c>: a new name, or changed options, builds a new strategy (fresh state, the slot's
/// RNG stream continues); changes of only <c>[LiveEditable]</c> options are assigned in place.</item>
/// <item><c>model.*</c>, <c>trainer.*</c>: only <c>[LiveEditable]</c> options, assigned into the component's own
/// options object between steps; everything else is restart-only (start a new run or a fork).</item>
/// <item><c>visualizers.*</c>, <c>stop</c>, <c>checkpoint</c>, <c>metrics</c>, <c>visualize</c>, <c>daemon</c>,
/// <c>description</c>: live (they never change the trajectory's state).</item>
/// <item><c>experiment</c>, <c>plugin</c>, <c>seed</c>, <c>model.type</c>, <c>trainer.type</c>: restart-only.</item>
/// </list>
/// </summary>
internal static class LiveChanges
{
    private static readonly string[] LiveEngineSections = ["stop", "checkpoint", "metrics", "visualize", "daemon", "visualizers"];

    /// <summary>Works out what changing <paramref name="experiment"/>'s manifest to <paramref name="next"/> does; builds new strategies.</summary>
    /// <exception cref="ExperimentBuildException">A new strategy's or visualizer's factory threw.</exception>
    public static LiveChangePlan Plan(Experiment experiment, BoundManifest next)
    {
        var current = experiment.Manifest;
        var changes = Diff(current.FlatParameters, next.FlatParameters);
        var rejected = new List<RejectedChange>();
        var liveOptions = new List<string>();
        var swaps = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var rebuildSlots = new HashSet<string>(StringComparer.Ordinal);
        var assignments = new List<Action>();
        var rebuildVisualizers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var segments = change.Key.Split('.');
            var section = segments[0];
            if (section == "description") continue;
            if (section == "strategies" && segments.Length >= 2)
            {
                var slot = segments[1];
                if (rebuildSlots.Contains(slot)) continue;
                var (oldSel, newSel) = (current.Strategies[slot], next.Strategies[slot]);
                if (oldSel.Name == newSel.Name && segments.Length >= 3 &&
                    TryAssign(oldSel.Options, newSel.Options, segments.AsSpan(2), assignments)) liveOptions.Add(change.Key);
                else rebuildSlots.Add(slot);
                continue;
            }
            if (section == "visualizers" && segments.Length >= 2)
            {
                rebuildVisualizers.Add(segments[1]);
                continue;
            }
            if (LiveEngineSections.Contains(section)) continue;
            if ((section is "model" or "trainer") && segments.Length >= 2 && segments[1] != "type")
            {
                var (oldSel, newSel) = section == "model" ? (current.Model, next.Model) : (current.Trainer, next.Trainer);
                if (TryAssign(oldSel.Options, newSel.Options, segments.AsSpan(1), assignments))
                {
                    liveOptions.Add(change.Key);
                    continue;
                }
                rejected.Add(new RejectedChange(change.Key, $"'{change.Key}' is restart-only (it is not marked live-editable)",
                    "keep the running value, or start a new run or a fork (emergence fork RUN_DIR --set ...) with the new value"));
                continue;
            }
            rejected.Add(new RejectedChange(change.Key, $"'{change.Key}' cannot change while the experiment runs",
                "start a new run (or a fork) with the new value"));
        }
        // A rebuilt slot must not also get in-place assignments of the same slot's options.
        var plan = new LiveChangePlan
        {
            Changes = changes, Rejected = rejected, StrategySwaps = swaps,
            LiveOptions = liveOptions.Where(k => !IsUnderRebuiltSlot(k, rebuildSlots)).ToList(),
            Result = Keep(current, next, rebuildSlots),
        };
        if (!plan.IsValid || plan.IsEmpty) return plan;
        foreach (var slot in rebuildSlots)
        {
            swaps[slot] = (current.Strategies[slot].Name, next.Strategies[slot].Name);
            plan.BuiltStrategies[slot] = experiment.BuildStrategy(slot, next.Strategies[slot]);
        }
        foreach (var name in rebuildVisualizers) plan.RebuiltVisualizers.Add(name);
        plan.Assignments.AddRange(assignments);
        return plan;
    }

    private static bool IsUnderRebuiltSlot(string key, HashSet<string> rebuildSlots)
    {
        var segments = key.Split('.');
        return segments[0] == "strategies" && rebuildSlots.Contains(segments[1]);
    }

    /// <summary>Applies a valid plan: assignments, strategies, visualizers and the new manifest, all between steps.</summary>
    public static void Apply(Experiment experiment, LiveChangePlan plan)
    {
        if (!plan.IsValid) throw new InvalidOperationException("a plan with rejected changes cannot be applied");
        if (plan.IsEmpty) return;
        experiment.Apply(plan.Result, plan.BuiltStrategies, plan.RebuiltVisualizers);
        foreach (var assign in plan.Assignments) assign();
    }

    /// <summary>The keys whose values differ between two flattened manifests, in the order of <paramref name="next"/> then removed keys.</summary>
    public static List<KeyChange> Diff(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> next)
    {
        var changes = new List<KeyChange>();
        foreach (var (key, value) in next)
        {
            current.TryGetValue(key, out var old);
            if (old != value) changes.Add(new KeyChange(key, old, value));
        }
        foreach (var (key, value) in current)
            if (!next.ContainsKey(key)) changes.Add(new KeyChange(key, value, null));
        return changes;
    }

    /// <summary>
    /// The manifest to install: <paramref name="next"/>, but keeping the running options objects of the model, the
    /// trainer and every strategy that is not rebuilt (their live-editable values are assigned into them).
    /// </summary>
    private static BoundManifest Keep(BoundManifest current, BoundManifest next, HashSet<string> rebuildSlots)
    {
        var strategies = new OrderedDictionary<string, ComponentSelection>(StringComparer.Ordinal);
        foreach (var (slot, selection) in next.Strategies)
            strategies.Add(slot, rebuildSlots.Contains(slot) ? selection : current.Strategies[slot]);
        return next with { Model = current.Model, Trainer = current.Trainer, Strategies = strategies };
    }

    /// <summary>
    /// Queues assigning the option at <paramref name="path"/> (relative to an options object) from
    /// <paramref name="source"/> into <paramref name="target"/> if it, or a nested options object above it, is live-editable.
    /// </summary>
    private static bool TryAssign(object target, object source, ReadOnlySpan<string> path, List<Action> assignments)
    {
        while (true)
        {
            var property = OptionsModel.For(target.GetType()).Find(path[0]);
            if (property is null) return false;
            if (property.LiveEditable)
            {
                var value = property.Property.GetValue(source);
                var (t, p) = (target, property.Property);
                assignments.Add(() => p.SetValue(t, value));
                return true;
            }
            if (path.Length == 1 || property.Type.Kind != OptionKind.Nested) return false;
            var nestedTarget = property.Property.GetValue(target);
            var nestedSource = property.Property.GetValue(source);
            if (nestedTarget is null || nestedSource is null) return false;
            target = nestedTarget;
            source = nestedSource;
            path = path[1..];
        }
    }
}
