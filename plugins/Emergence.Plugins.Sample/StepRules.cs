using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Emergence.Contracts.Options;
using Emergence.Contracts.Random;

namespace Emergence.Plugins.Sample;

/// <summary>The <c>step_rule</c> slot: the displacement of one walker in one step.</summary>
public interface IStepRule
{
    /// <summary>The next displacement.</summary>
    double Next();
}

/// <summary>Options of the <c>gaussian</c> step rule.</summary>
public sealed class GaussianStepOptions
{
    /// <summary>Standard deviation of a step. Default 1; ≥ 0.</summary>
    [Description("Standard deviation of a step. Default 1.")]
    [Range(0.0, 1e6)]
    [LiveEditable]
    public double Scale { get; set; } = 1.0;
}

/// <summary>Normal steps drawn from the slot's own stream.</summary>
internal sealed class GaussianStep(GaussianStepOptions options, RngStream rng) : IStepRule
{
    public double Next() => options.Scale * rng.NextNormal();
}

/// <summary>Options of the <c>constant</c> step rule.</summary>
public sealed class ConstantStepOptions
{
    /// <summary>The step every walker takes. Default 0.1.</summary>
    [Description("The displacement of every step. Default 0.1.")]
    [LiveEditable]
    public double Step { get; set; } = 0.1;
}

/// <summary>A drift: every step is the same.</summary>
internal sealed class ConstantStep(ConstantStepOptions options) : IStepRule
{
    public double Next() => options.Step;
}
