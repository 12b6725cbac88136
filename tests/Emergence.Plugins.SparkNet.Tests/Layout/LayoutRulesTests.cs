using Emergence.Contracts.Random;
using Emergence.Plugins.SparkNet.Layout;
using Emergence.Plugins.SparkNet.Tests.Fakes;

namespace Emergence.Plugins.SparkNet.Tests.Layout;

public sealed class LayoutRulesTests
{
    [Fact]
    public void Faithful_SmallNetwork_MatchesScalarReferenceOfSpecFormula()
    {
        var rng = new RngStream(3);
        var w = new float[36];
        for (int i = 0; i < 36; i++) w[i] = (float)(0.3 * rng.NextNormal());
        var model = TestSupport.Model(6, w);
        var layout = model.Layout;
        var rule = new FaithfulLayout(new FaithfulLayoutOptions());
        layout.PendingCall = 1;
        rule.Begin(layout, new RngStream(9));
        rule.Compute(layout, model, new RngStream(9));

        var probe = new RngStream(9);
        var x = new double[6]; var y = new double[6];
        for (int i = 0; i < 6; i++) { x[i] = (float)probe.NextNormal(); y[i] = (float)probe.NextNormal(); }
        double max = w.Max();
        for (int it = 0; it < 5; it++)
        {
            var fx = new double[6]; var fy = new double[6];
            for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++)
            {
                double dx = x[i] - x[j], dy = y[i] - y[j], d = Math.Sqrt(dx * dx + dy * dy) + 1e-6;
                double wp = Math.Max(w[i * 6 + j], 0) / max;
                fx[i] += -0.001 * dx / (d * d) + 0.02 * wp * dx;
                fy[i] += -0.001 * dy / (d * d) + 0.02 * wp * dy;
            }
            for (int i = 0; i < 6; i++) { x[i] += 0.01 * fx[i]; y[i] += 0.01 * fy[i]; }
        }
        for (int i = 0; i < 6; i++)
        {
            ((double)layout.X[i]).Should().BeApproximately(x[i], 1e-5);
            ((double)layout.Y[i]).Should().BeApproximately(y[i], 1e-5);
        }
        layout.ComputedCall.Should().Be(1);
    }

    [Fact]
    public void Faithful_TwoConsecutiveCalls_RecordMotionBetweenThem()
    {
        var model = TestSupport.Model(40);
        var rule = new FaithfulLayout(new FaithfulLayoutOptions());
        var rng = new RngStream(1);
        for (int call = 1; call <= 2; call++)
        {
            model.Layout.PendingCall = call;
            rule.Begin(model.Layout, rng);
            rule.Compute(model.Layout, model, rng);
        }
        double expected = 0;
        for (int i = 0; i < 40; i++) expected += Math.Sqrt(Math.Pow(model.Layout.X[i] - model.Layout.PrevX[i], 2) + Math.Pow(model.Layout.Y[i] - model.Layout.PrevY[i], 2));
        model.Layout.LastMotion.Should().BeApproximately(expected, 1e-9);
        model.Layout.Motion.Should().ContainSingle();
    }

    [Fact]
    public void Persistent_StrongEdgePullsPairTogetherAndKeepsCentreAtOrigin()
    {
        var w = new float[100];
        w[0 * 10 + 1] = 1f;
        var model = TestSupport.Model(10, w);
        var rule = new PersistentLayout(new PersistentLayoutOptions { Attraction = 0.5, Repulsion = 1e-5 });
        var rng = new RngStream(2);
        double Dist() => Math.Sqrt(Math.Pow(model.Layout.X[0] - model.Layout.X[1], 2) + Math.Pow(model.Layout.Y[0] - model.Layout.Y[1], 2));
        model.Layout.PendingCall = 1;
        rule.Compute(model.Layout, model, rng);
        double first = Dist();
        for (int call = 2; call <= 40; call++) { model.Layout.PendingCall = call; rule.Compute(model.Layout, model, rng); }
        Dist().Should().BeLessThan(first * 0.5);
        model.Layout.X.Sum().Should().BeApproximately(0f, 1e-4f);
        model.Layout.Motion.Should().HaveCount(39);
    }

    [Fact]
    public void Mds_TwoCliques_SeparatesThemAlongFirstAxis()
    {
        int n = 10;
        var w = new float[n * n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j && (i < 5) == (j < 5)) w[i * n + j] = 1f;
        var model = TestSupport.Model(n, w);
        model.Layout.PendingCall = 1;
        new MdsLayout(new MdsLayoutOptions()).Compute(model.Layout, model, new RngStream(1));
        var x = model.Layout.X;
        var a = x.Take(5).ToArray();
        var b = x.Skip(5).ToArray();
        (a.Max() - a.Min()).Should().BeLessThan(1e-3f);
        ((double)Math.Abs(a.Average() - b.Average())).Should().BeApproximately(1.0, 1e-3); // clique distance 1
    }
}
