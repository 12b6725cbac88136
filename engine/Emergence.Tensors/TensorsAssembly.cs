namespace Emergence.Tensors;

/// <summary>Marker for the tensor library's assembly (shared from the host's load context).</summary>
public static class TensorsAssembly
{
    /// <summary>The assembly's simple name.</summary>
    public const string Name = "Emergence.Tensors";
}
