using System.Security.Cryptography;
using System.Text;
using Emergence.Engine.Manifests;

namespace Emergence.Engine.Daemon;

/// <summary>
/// What the daemon itself reads of a manifest, without loading any plugin (a plugin can never take the
/// daemon down, not even while its manifest is looked at): the experiment name and the <c>daemon</c>
/// section. The worker validates the whole manifest against the plugin.
/// </summary>
internal sealed record DaemonManifest(string Path, string Text, string Sha256, string? Experiment, DaemonOptions Daemon,
    IReadOnlyList<ManifestError> Errors)
{
    /// <summary>Reads <paramref name="path"/>; a file that cannot be read gives null.</summary>
    public static DaemonManifest? Peek(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var errors = new ManifestErrorList();
        var node = ManifestYamlReader.Read(text, ManifestYamlReader.FileOrigin(path), errors);
        string? experiment = null;
        var daemon = new DaemonOptions();
        if (node is MapNode root)
        {
            var binder = new ManifestBinder(root, path, errors);
            experiment = binder.ExperimentName();
            daemon = binder.Engine<DaemonOptions>("daemon");
        }
        return new DaemonManifest(path, text, sha, experiment, daemon, errors.Ordered());
    }
}
