namespace Emergence.Cli;

/// <summary>Process exit codes of the <c>emergence</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success, or a run stopped on request with a checkpoint.</summary>
    public const int Ok = 0;

    /// <summary>A run failed (the trainer threw, a checkpoint could not be written).</summary>
    public const int RunFailed = 1;

    /// <summary>Invalid input: manifest errors, bad arguments, missing files.</summary>
    public const int InvalidInput = 2;

    /// <summary>The plugin a manifest names could not be loaded or built.</summary>
    public const int PluginError = 3;
}
