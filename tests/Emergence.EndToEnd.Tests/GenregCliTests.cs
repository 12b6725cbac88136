namespace Emergence.EndToEnd.Tests;

/// <summary>The Genreg plugin through the CLI: cross-section checks, a run's artifacts.</summary>
public class GenregCliTests
{
    [Fact]
    public void Cross_section_problems_are_reported_with_the_key_and_a_fix()
    {
        using var temp = new TempDir();
        var manifest = temp.Write("m.yaml", """
            experiment: g
            plugin: genreg
            model: {connectivity: sparse, k_inputs: 2, hidden: 8, sparse_width: 300}
            trainer: {type: backprop, indices: [0, 1, 2]}
            stop: {max_steps: 10}
            """);
        var result = CliProcess.Run(temp.Path, ["validate", manifest]);
        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("model.sparse_width").And.Contain("exceeds the input width 256");
        var dense = temp.Write("d.yaml", """
            experiment: g
            plugin: genreg
            trainer: {type: backprop, indices: [0, 1]}
            stop: {max_steps: 10}
            """);
        var second = CliProcess.Run(temp.Path, ["validate", dense]);
        second.ExitCode.Should().Be(2, second.ToString());
        second.Stderr.Should().Contain("trainer.indices").And.Contain("connectivity is dense");
    }

    [Fact]
    public void A_ga_run_writes_the_saturation_heatmap_trajectories_prediction_and_chosen_inputs()
    {
        using var temp = new TempDir();
        var manifest = temp.Write("m.yaml", """
            experiment: g
            plugin: genreg
            seed: 3
            model: {features: {noise_size: 48}, connectivity: sparse, k_inputs: 2}
            trainer: {type: ga, max_generations: 30, stagnation_window: 0}
            visualizers: {heatmap: {}, trajectories: {}, prediction: {}, inputs: {}}
            metrics: {every: 5}
            stop: {max_steps: 1000}
            """);
        var result = CliProcess.Run(temp.Path, ["run", manifest, "--run-id", "r", "-q"]);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().Contain("completed at step 30: the trainer finished");
        var artifacts = Path.Combine(temp.Path, "runs", "g", "r", "artifacts");
        File.Exists(Path.Combine(artifacts, "heatmap", "saturation_00000030.png")).Should().BeTrue();
        File.ReadAllLines(Path.Combine(artifacts, "heatmap", "saturation_00000030.csv")).Should().HaveCount(31, "header + one row per generation");
        File.ReadAllText(Path.Combine(artifacts, "trajectories", "mse_00000030.svg")).Should().Contain("<polyline").And.Contain("mse_best");
        File.ReadAllLines(Path.Combine(artifacts, "trajectories", "trajectory_00000030.csv"))[0].Should().StartWith("generation,mse_best,mse_median,k_mlp");
        File.ReadAllLines(Path.Combine(artifacts, "prediction", "prediction_00000030.csv")).Should().HaveCount(101);
        var inputs = File.ReadAllLines(Path.Combine(artifacts, "inputs", "inputs_00000030.csv"));
        inputs[0].Should().Be("unit,slot,input,block,weight,target_correlation");
        inputs.Should().HaveCount(17, "8 units × K 2");
        var metrics = File.ReadAllLines(Path.Combine(temp.Path, "runs", "g", "r", "metrics.csv"));
        metrics.Should().Contain(l => l.StartsWith("30,generation,29")).And.Contain(l => l.Contains(",n7_sat,"));
    }
}
