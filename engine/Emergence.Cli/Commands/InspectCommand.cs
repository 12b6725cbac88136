using System.CommandLine;
using Emergence.Engine.Checkpoints;
using Emergence.Engine.Runs;

namespace Emergence.Cli.Commands;

/// <summary><c>emergence inspect</c>: a checkpoint's header and state tree.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("checkpoint") { Description = "A checkpoint file (runs/EXP/RUN/checkpoints/ckpt-*.msgpack) or a run folder (its newest checkpoint)." };
        var manifest = new Option<bool>("--manifest") { Description = "Also print the resolved manifest stored in the checkpoint." };
        var hash = new Option<bool>("--hash") { Description = "Print only the state hash (RNG streams + model/trainer/strategy state), for comparing runs." };
        var command = new Command("inspect", "Print a checkpoint's header and state tree (keys, types, shapes, small values).") { file, manifest, hash };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (Directory.Exists(path))
            {
                var all = new CheckpointStore(Path.Combine(path, "checkpoints"), int.MaxValue).List();
                var newest = all.Count > 0 ? all[^1] : null;
                if (newest is null)
                {
                    Console.Error.WriteLine($"error: '{path}' has no checkpoints");
                    return ExitCodes.InvalidInput;
                }
                path = newest.Path;
            }
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"error: checkpoint '{path}' does not exist");
                return ExitCodes.InvalidInput;
            }
            try
            {
                var checkpoint = CheckpointFile.ReadFile(path);
                if (parse.GetValue(hash))
                {
                    Console.WriteLine($"{StateHash.Of(checkpoint)}  step {checkpoint.Header.Step}");
                    return ExitCodes.Ok;
                }
                var h = checkpoint.Header;
                Console.WriteLine($"checkpoint  {Path.GetFullPath(path)}");
                Console.WriteLine($"experiment  {h.Experiment}   run {h.RunId}   step {h.Step:N0}");
                Console.WriteLine($"plugin      {h.PluginName} {h.PluginVersion}   assembly sha256 {h.AssemblySha256}");
                Console.WriteLine($"engine      {h.EngineVersion}   created {h.Created:u}");
                Console.WriteLine($"rng         {string.Join(", ", checkpoint.RngPurposes)}");
                Console.WriteLine($"state hash  {StateHash.Of(checkpoint)}");
                Console.WriteLine("state");
                Console.Write(CheckpointTree.Describe(checkpoint.StateValue, "  "));
                if (parse.GetValue(manifest)) Console.WriteLine("manifest\n" + h.Manifest);
                return ExitCodes.Ok;
            }
            catch (CheckpointCorruptException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
