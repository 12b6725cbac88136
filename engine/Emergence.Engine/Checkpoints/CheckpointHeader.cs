namespace Emergence.Engine.Checkpoints;

/// <summary>What a checkpoint says about itself, besides its RNG streams and state tree.</summary>
/// <param name="EngineVersion">Version of the engine that wrote it.</param>
/// <param name="PluginName">Name of the plugin whose state it holds.</param>
/// <param name="PluginVersion">Version of that plugin.</param>
/// <param name="AssemblySha256">Hex SHA-256 of the plugin assembly (detects rebuilds).</param>
/// <param name="Experiment">Experiment name.</param>
/// <param name="RunId">Run identifier.</param>
/// <param name="Step">Number of completed steps.</param>
/// <param name="Created">When it was written (stored as a MessagePack timestamp, 100 ns resolution).</param>
/// <param name="Manifest">The resolved manifest, as YAML.</param>
internal sealed record CheckpointHeader(
    string EngineVersion,
    string PluginName,
    string PluginVersion,
    string AssemblySha256,
    string Experiment,
    string RunId,
    long Step,
    DateTimeOffset Created,
    string Manifest);
