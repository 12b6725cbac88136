using System.Diagnostics;

namespace Emergence.EndToEnd.Tests;

/// <summary><c>emergence sweep</c> with real worker processes: parallel trials, outputs, skip on re-run, resume after an interruption.</summary>
public class SweepTests
{
    private static string Setup(TempDir temp, long steps, int delayMs)
    {
        temp.Write("base.yaml", $$"""
            experiment: sw
            plugin: fixture-daemon
            seed: 1
            trainer: {step_delay_ms: {{delayMs}}}
            strategies: {increment: random}
            metrics: {every: 10}
            checkpoint: {every_steps: 20}
            stop: {max_steps: {{steps}}}
            """);
        return temp.Write("sweep.yaml", """
            sweep: fx
            base: base.yaml
            seeds: [1, 2]
            parallel: 2
            configurations:
              small: {strategies.increment: {name: random, max: 3}}
              large: {strategies.increment: {name: random, max: 9}}
            grid:
              trainer.scale: [1, 2]
            summary:
              metrics: [value]
              charts:
                - {x: trainer.scale, y: value, title: "value vs scale"}
            """);
    }

    private static string[] Args(string sweep) => ["sweep", sweep, "--plugins", CliProcess.Fixtures];

    [Fact]
    public void A_sweep_runs_every_trial_writes_its_summary_and_skips_completed_trials_when_run_again()
    {
        using var temp = new TempDir();
        var sweep = Setup(temp, 50, 0);
        var first = CliProcess.Run(temp.Path, Args(sweep));
        first.ExitCode.Should().Be(0, first.ToString());
        first.Stderr.Should().Contain("8/8 trials completed");
        var folder = Path.Combine(temp.Path, "runs", "sweeps", "fx");
        File.ReadAllLines(Path.Combine(folder, "trials.csv")).Should().HaveCount(9);
        var summary = File.ReadAllLines(Path.Combine(folder, "summary.csv"));
        summary[0].Should().Be("group,trials,completed,value_mean,value_std,value_min,value_max");
        summary.Should().HaveCount(5).And.Contain(l => l.StartsWith("\"large trainer.scale=2\",2,2,"));
        File.ReadAllText(Path.Combine(folder, "summary.md")).Should().Contain("| small trainer.scale=1 | 2/2 |");
        File.ReadAllText(Path.Combine(folder, "charts", "value_vs_trainer_scale.svg")).Should().Contain("<polyline").And.Contain("large");
        Directory.GetDirectories(Path.Combine(temp.Path, "runs", "sw")).Should().HaveCount(8);

        var again = CliProcess.Run(temp.Path, Args(sweep));
        again.ExitCode.Should().Be(0, again.ToString());
        again.Stderr.Should().Contain("8 already complete, 0 to run");
    }

    [Fact]
    public void An_interrupted_sweep_continues_where_it_stopped_and_each_trial_equals_a_straight_run()
    {
        using var temp = new TempDir();
        var sweep = Setup(temp, 200, 10);
        using (var process = CliProcess.Start(temp.Path, Args(sweep)))
        {
            var checkpoints = Path.Combine(temp.Path, "runs", "sw");
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints, "ckpt-*.msgpack", SearchOption.AllDirectories).Length > 0))
            {
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
                Thread.Sleep(20);
            }
            CliProcess.Signal(process, 2);
            var stopped = CliProcess.Wait(process);
            stopped.ExitCode.Should().Be(0, stopped.ToString());
            stopped.Stderr.Should().Contain("stopped on request");
        }
        var resumed = CliProcess.Run(temp.Path, Args(sweep), timeoutSeconds: 300);
        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Stderr.Should().Contain("8/8 trials completed");

        // One trial against the same run done straight through.
        var straight = CliProcess.Run(temp.Path, ["run", Path.Combine(temp.Path, "base.yaml"), "--plugins", CliProcess.Fixtures, "--runs", Path.Combine(temp.Path, "straight"),
            "--run-id", "x", "-q", "--set", "strategies.increment={name: random, max: 3}", "--set", "trainer.scale=1", "--set", "seed=1"]);
        straight.ExitCode.Should().Be(0, straight.ToString());
        Hash(temp, Path.Combine(temp.Path, "runs", "sw", "fx-small-scale1-s1")).Should().Be(Hash(temp, Path.Combine(temp.Path, "straight", "sw", "x")));
    }

    private static string Hash(TempDir temp, string runDir)
    {
        var result = CliProcess.Run(temp.Path, ["inspect", runDir, "--hash"]);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Stdout.Split(' ')[0];
    }

    [Fact]
    public void An_invalid_override_stops_the_sweep_before_anything_runs()
    {
        using var temp = new TempDir();
        var sweep = Setup(temp, 10, 0);
        File.WriteAllText(sweep, File.ReadAllText(sweep).Replace("trainer.scale: [1, 2]", "trainer.scael: [1, 2]"));
        var result = CliProcess.Run(temp.Path, Args(sweep));
        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("sweep.yaml:").And.Contain("scael").And.Contain("scale");
        Directory.Exists(Path.Combine(temp.Path, "runs", "sw")).Should().BeFalse();
    }
}

/// <summary>The Genreg sweep format end to end: configurations as override sets, duplicates run once, charts over configuration keys.</summary>
public class GenregSweepTests
{
    [Fact]
    public void A_small_genreg_sweep_runs_once_per_distinct_configuration_and_charts_k_against_noise()
    {
        using var temp = new TempDir();
        temp.Write("base.yaml", """
            experiment: gs
            plugin: genreg
            seed: 42
            trainer: {type: ga, max_generations: 40, stagnation_window: 0}
            metrics: {every: 10}
            checkpoint: {every_steps: 20}
            stop: {max_steps: 1000}
            """);
        var sweep = temp.Write("sweep.yaml", """
            sweep: g
            base: base.yaml
            seeds: [42, 43]
            configurations:
              N0: {model.features.noise_size: 0}
              N4: {model.features.noise_size: 240}
              C1: {model.features.noise_size: 0}
            summary:
              metrics: [mse_best, k_mlp_ratio, generation]
              charts:
                - {x: model.features.noise_size, y: k_mlp_ratio, title: "k ratio vs noise"}
            """);
        var first = CliProcess.Run(temp.Path, ["sweep", sweep]);
        first.ExitCode.Should().Be(0, first.ToString());
        first.Stderr.Should().Contain("6/6 trials completed");
        Directory.GetDirectories(Path.Combine(temp.Path, "runs", "gs")).Should().HaveCount(4, "C1 resolves to the same manifest as N0");
        var folder = Path.Combine(temp.Path, "runs", "sweeps", "g");
        var summary = File.ReadAllLines(Path.Combine(folder, "summary.csv"));
        summary[0].Should().StartWith("group,trials,completed,mse_best_mean");
        summary.Should().Contain(l => l.StartsWith("\"N4\",2,2,") && l.EndsWith(",39,0,39,39"), "the GA stopped at its budget: generations 0..39");
        File.ReadAllText(Path.Combine(folder, "charts", "k_mlp_ratio_vs_model_features_noise_size.svg")).Should().Contain("N4");

        var again = CliProcess.Run(temp.Path, ["sweep", sweep]);
        again.ExitCode.Should().Be(0, again.ToString());
        again.Stderr.Should().Contain("already complete, 0 to run");
    }

    [Fact]
    public void Validate_checks_every_trial_of_a_sweep_file_and_reports_errors_at_the_sweep_files_lines()
    {
        using var temp = new TempDir();
        temp.Write("base.yaml", """
            experiment: gs
            plugin: genreg
            trainer: {type: ga, max_generations: 10}
            stop: {max_steps: 100}
            """);
        var good = temp.Write("good.yaml", """
            sweep: g
            base: base.yaml
            seeds: [1, 2]
            configurations:
              N0: {model.features.noise_size: 0}
              C1: {model.features.noise_size: 0}
            """);
        var ok = CliProcess.Run(temp.Path, ["validate", good]);
        ok.ExitCode.Should().Be(0, ok.ToString());
        ok.Stdout.Should().Contain("ok (sweep g: 4 trials, 2 distinct)");

        var bad = temp.Write("bad.yaml", """
            sweep: g
            base: base.yaml
            configurations:
              N0: {model.features.noise_size: 0}
              H9: {model.hidden: 1000}
            """);
        var failed = CliProcess.Run(temp.Path, ["validate", bad]);
        failed.ExitCode.Should().Be(2, failed.ToString());
        failed.Stderr.Should().Contain("bad.yaml:5:").And.Contain("model.hidden").And.Contain("out of range");
    }
}
