using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Emergence.Contracts.Telemetry;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Manifests;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Runs;

/// <summary>The outcome of a plugin reload.</summary>
/// <param name="Experiment">The experiment to continue with: the new one, or the old one unchanged on failure.</param>
/// <param name="Reloaded">True when the new build took over.</param>
/// <param name="Message">What happened.</param>
/// <param name="Fields">Event fields (versions, hashes, state size, time, whether the old context was collected).</param>
/// <param name="OldContext">The unloaded old context, to confirm it is collected once nothing references the old experiment.</param>
internal sealed record ReloadResult(Experiment Experiment, bool Reloaded, string Message, Dictionary<string, object?> Fields,
    WeakReference? OldContext = null);

/// <summary>
/// Swaps a running experiment onto a rebuilt plugin assembly between steps: loads the new build into a
/// fresh collectible context (from bytes, so no cached image is reused), binds the manifest in effect
/// against it, checkpoints the old experiment to memory, builds the new components and restores the
/// state into them. Any failure leaves the old experiment untouched and running. On success the old
/// context is unloaded; the session then confirms through a <see cref="WeakReference"/> that it was collected.
/// </summary>
internal static class PluginReloader
{
    /// <summary>
    /// Reloads <paramref name="current"/>'s plugin from its assembly path. The caller drops every reference to
    /// <paramref name="current"/> and then checks that <see cref="ReloadResult.OldContext"/> is collected.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ReloadResult Reload(Experiment current, CheckpointHeader header, IRunLog log, PluginCatalog? catalog)
    {
        var clock = Stopwatch.StartNew();
        var old = current.Manifest.Plugin;
        var fields = new Dictionary<string, object?>
        {
            ["plugin"] = old.Info.Name, ["old_version"] = old.Info.Version, ["old_sha256"] = old.AssemblySha256,
        };
        if (old.AssemblyPath is null) return new ReloadResult(current, false, "the plugin was not loaded from a file", fields);
        LoadedPlugin fresh;
        try
        {
            fresh = PluginLoader.Load(old.AssemblyPath);
        }
        catch (PluginLoadException e)
        {
            return Failed(current, fields, $"the rebuilt plugin did not load: {e.Message}");
        }
        fields["new_version"] = fresh.Descriptor.Info.Version;
        fields["new_sha256"] = fresh.Descriptor.AssemblySha256;
        if (fresh.Descriptor.Info.Name != old.Info.Name)
        {
            fresh.Context.Unload();
            return Failed(current, fields, $"the rebuilt assembly registers plugin '{fresh.Descriptor.Info.Name}', not '{old.Info.Name}'");
        }
        if (fresh.Descriptor.AssemblySha256 == old.AssemblySha256)
        {
            fresh.Context.Unload();
            return new ReloadResult(current, false, "the plugin assembly is unchanged", fields);
        }
        Experiment next;
        try
        {
            var manifest = ManifestLoader.LoadText(current.Manifest.ResolvedYaml, current.Manifest.SourcePath, [],
                name => name == fresh.Descriptor.Info.Name ? fresh.Descriptor : null, [fresh.Descriptor.Info.Name]);
            using var state = new StateTreeWriter();
            current.Save(state);
            var bytes = CheckpointFile.ToBytes(header, current.Rngs.Streams, state);
            fields["state_bytes"] = bytes.Length;
            next = Experiment.Build(manifest with { SourcePath = current.Manifest.SourcePath }, log);
            next.Restore(CheckpointFile.Read(bytes));
        }
        catch (Exception e) when (e is ManifestException or ExperimentBuildException or Contracts.State.StateFormatException
                                       or CheckpointCorruptException or InvalidDataException or KeyNotFoundException
                                       or InvalidCastException or ArgumentException or InvalidOperationException)
        {
            fresh.Context.Unload();
            var why = e is ManifestException m ? string.Join("; ", m.Errors.Select(x => x.ToString())) : $"{e.GetType().Name}: {e.Message}";
            return Failed(current, fields, $"the rebuilt plugin could not take over the state: {why}");
        }
        catalog?.Replace(fresh);
        fields["reload_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
        var weak = UnloadContextOf(old);
        return new ReloadResult(next, true,
            $"plugin {old.Info.Name} reloaded: {old.Info.Version} → {fresh.Descriptor.Info.Version}", fields, weak);
    }

    private static ReloadResult Failed(Experiment current, Dictionary<string, object?> fields, string why)
    {
        fields["error"] = why;
        return new ReloadResult(current, false, why + "; the old version keeps running from the same state", fields);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference? UnloadContextOf(PluginDescriptor plugin)
    {
        if (plugin.Assembly is null || AssemblyLoadContext.GetLoadContext(plugin.Assembly) is not { IsCollectible: true } context) return null;
        context.Unload();
        return new WeakReference(context);
    }

}

/// <summary>
/// Notices a rebuilt plugin: polls the plugin's folder (file names, sizes, times) and reports a change once
/// it has been stable for the debounce interval, so a build copying many files triggers one reload.
/// </summary>
internal sealed class PluginWatcher(string assemblyPath, TimeSpan debounce)
{
    private readonly string _folder = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
    private string _baseline = "";
    private string? _candidate;
    private long _candidateSince;
    private bool _started;

    /// <summary>True once, when the folder changed and then stayed the same for the debounce interval.</summary>
    public bool Poll()
    {
        var signature = Signature();
        if (!_started)
        {
            (_baseline, _started) = (signature, true);
            return false;
        }
        if (signature == _baseline)
        {
            _candidate = null;
            return false;
        }
        if (signature != _candidate)
        {
            (_candidate, _candidateSince) = (signature, Stopwatch.GetTimestamp());
            return false;
        }
        if (Stopwatch.GetElapsedTime(_candidateSince) < debounce) return false;
        (_baseline, _candidate) = (signature, null);
        return true;
    }

    private string Signature()
    {
        try
        {
            return string.Join("|", new DirectoryInfo(_folder).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => f.Extension is ".dll" or ".json")
                .OrderBy(f => f.FullName, StringComparer.Ordinal)
                .Select(f => $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
        }
        catch (IOException)
        {
            return _candidate ?? _baseline;
        }
    }
}
