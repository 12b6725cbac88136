namespace Emergence.Tensors.Optim;

/// <summary>Learning rate as a pure function of the step (0-based), so it needs no checkpoint state.</summary>
public interface ILrSchedule
{
    /// <summary>The learning rate for <paramref name="step"/>.</summary>
    double At(long step);
}

/// <summary>A fixed rate.</summary>
/// <param name="Rate">The rate.</param>
public sealed record ConstantLr(double Rate) : ILrSchedule
{
    /// <inheritdoc />
    public double At(long step) => Rate;
}

/// <summary>Multiplies by <paramref name="Gamma"/> every <paramref name="StepSize"/> steps (torch StepLR).</summary>
/// <param name="Rate">Initial rate.</param>
/// <param name="StepSize">Steps between decays (≥ 1).</param>
/// <param name="Gamma">Decay factor.</param>
public sealed record StepDecayLr(double Rate, int StepSize, double Gamma) : ILrSchedule
{
    /// <inheritdoc />
    public double At(long step) => Rate * Math.Pow(Gamma, step / StepSize);
}

/// <summary><c>rate · gamma^step</c> (torch ExponentialLR).</summary>
/// <param name="Rate">Initial rate.</param>
/// <param name="Gamma">Per-step factor.</param>
public sealed record ExponentialDecayLr(double Rate, double Gamma) : ILrSchedule
{
    /// <inheritdoc />
    public double At(long step) => Rate * Math.Pow(Gamma, step);
}

/// <summary>Cosine from <paramref name="Rate"/> to <paramref name="MinRate"/> over <paramref name="TotalSteps"/> (torch CosineAnnealingLR), then flat.</summary>
/// <param name="Rate">Initial rate.</param>
/// <param name="TotalSteps">Length of the half cosine.</param>
/// <param name="MinRate">Final rate.</param>
public sealed record CosineLr(double Rate, long TotalSteps, double MinRate = 0) : ILrSchedule
{
    /// <inheritdoc />
    public double At(long step) =>
        MinRate + (Rate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, TotalSteps) / TotalSteps));
}

/// <summary>Linear warmup from rate/<paramref name="WarmupSteps"/> up to the inner schedule's value, then the inner schedule (shifted).</summary>
/// <param name="WarmupSteps">Warmup length.</param>
/// <param name="Inner">Schedule after warmup.</param>
public sealed record WarmupLr(long WarmupSteps, ILrSchedule Inner) : ILrSchedule
{
    /// <inheritdoc />
    public double At(long step) =>
        step < WarmupSteps ? Inner.At(0) * (step + 1) / WarmupSteps : Inner.At(step - WarmupSteps);
}
