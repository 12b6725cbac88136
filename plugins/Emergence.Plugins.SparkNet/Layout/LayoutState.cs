using Emergence.Contracts.State;

namespace Emergence.Plugins.SparkNet.Layout;

/// <summary>
/// The force layout's state (spec §6.4–6.6), kept on the model so visualizers can read it:
/// current and previous positions (structure of arrays), the start draws of the pending call,
/// velocities of the persistent layout, and the motion series Σ‖P^c − P^(c−1)‖.
/// </summary>
internal sealed class LayoutState
{
    /// <summary>How many motion values are kept (spec §6.6: the last 500).</summary>
    public const int MotionCapacity = 500;

    private readonly Queue<(long Step, double Motion)> _motion = new();

    public LayoutState(int n)
    {
        X = new float[n];
        Y = new float[n];
        PrevX = new float[n];
        PrevY = new float[n];
        StartX = new float[n];
        StartY = new float[n];
        VX = new float[n];
        VY = new float[n];
    }

    /// <summary>Current x of each neuron.</summary>
    public float[] X { get; }

    /// <summary>Current y of each neuron.</summary>
    public float[] Y { get; }

    /// <summary>Positions of the previous computed call.</summary>
    public float[] PrevX { get; }

    /// <summary>Positions of the previous computed call.</summary>
    public float[] PrevY { get; }

    /// <summary>Fresh N(0, I₂) draws of the pending faithful call.</summary>
    public float[] StartX { get; }

    /// <summary>Fresh N(0, I₂) draws of the pending faithful call.</summary>
    public float[] StartY { get; }

    /// <summary>Velocities of the persistent layout.</summary>
    public float[] VX { get; }

    /// <summary>Velocities of the persistent layout.</summary>
    public float[] VY { get; }

    /// <summary>Index (t / graph_update_freq) of the newest layout call begun; 0 = none.</summary>
    public long PendingCall { get; set; }

    /// <summary>The step of <see cref="PendingCall"/>.</summary>
    public long PendingStep { get; set; }

    /// <summary>Index of the call whose result is in <see cref="X"/>/<see cref="Y"/>; 0 = none.</summary>
    public long ComputedCall { get; set; }

    /// <summary>The step of <see cref="ComputedCall"/>.</summary>
    public long ComputedStep { get; set; }

    /// <summary>True while <see cref="PendingCall"/> has not been computed.</summary>
    public bool IsStale => PendingCall > ComputedCall;

    /// <summary>Motion of the newest computed call, or NaN when its predecessor call was not computed.</summary>
    public double LastMotion { get; private set; } = double.NaN;

    /// <summary>The last <see cref="MotionCapacity"/> motion values, oldest first.</summary>
    public IEnumerable<(long Step, double Motion)> Motion => _motion;

    /// <summary>Set by the trainer: computes the pending call with the active layout rule.</summary>
    public Action? Computer { get; set; }

    /// <summary>Computes the pending call if it has not been computed yet (lazy schedule).</summary>
    public void EnsureCurrent()
    {
        if (IsStale) Computer?.Invoke();
    }

    /// <summary>Called after the pending call's positions were written into X/Y (the previous ones into PrevX/PrevY); records the motion when the previous call was computed too.</summary>
    public void MarkComputed()
    {
        bool consecutive = ComputedCall == PendingCall - 1 && ComputedCall > 0;
        ComputedCall = PendingCall;
        ComputedStep = PendingStep;
        LastMotion = double.NaN;
        if (!consecutive) return;
        double motion = 0;
        for (int i = 0; i < X.Length; i++)
        {
            double dx = X[i] - PrevX[i], dy = Y[i] - PrevY[i];
            motion += Math.Sqrt(dx * dx + dy * dy);
        }
        LastMotion = motion;
        if (_motion.Count == MotionCapacity) _motion.Dequeue();
        _motion.Enqueue((ComputedStep, motion));
    }

    /// <summary>Copies X/Y into PrevX/PrevY (before a rule overwrites them).</summary>
    public void ShiftToPrevious()
    {
        X.CopyTo(PrevX, 0);
        Y.CopyTo(PrevY, 0);
    }

    public void Save(IStateWriter writer)
    {
        writer.WriteFloats("x", X);
        writer.WriteFloats("y", Y);
        writer.WriteFloats("prev_x", PrevX);
        writer.WriteFloats("prev_y", PrevY);
        writer.WriteFloats("start_x", StartX);
        writer.WriteFloats("start_y", StartY);
        writer.WriteFloats("vx", VX);
        writer.WriteFloats("vy", VY);
        writer.WriteInt64("pending_call", PendingCall);
        writer.WriteInt64("pending_step", PendingStep);
        writer.WriteInt64("computed_call", ComputedCall);
        writer.WriteInt64("computed_step", ComputedStep);
        writer.WriteDouble("last_motion", LastMotion);
        writer.WriteInt64s("motion_steps", _motion.Select(m => m.Step).ToArray());
        writer.WriteDoubles("motion_values", _motion.Select(m => m.Motion).ToArray());
    }

    public void Load(IStateReader reader)
    {
        reader.ReadFloats("x", X.AsSpan());
        reader.ReadFloats("y", Y.AsSpan());
        reader.ReadFloats("prev_x", PrevX.AsSpan());
        reader.ReadFloats("prev_y", PrevY.AsSpan());
        reader.ReadFloats("start_x", StartX.AsSpan());
        reader.ReadFloats("start_y", StartY.AsSpan());
        reader.ReadFloats("vx", VX.AsSpan());
        reader.ReadFloats("vy", VY.AsSpan());
        PendingCall = reader.ReadInt64("pending_call");
        PendingStep = reader.ReadInt64("pending_step");
        ComputedCall = reader.ReadInt64("computed_call");
        ComputedStep = reader.ReadInt64("computed_step");
        LastMotion = reader.ReadDouble("last_motion");
        var steps = reader.ReadInt64s("motion_steps", out _);
        var values = reader.ReadDoubles("motion_values", out _);
        if (steps.Length != values.Length) throw new StateFormatException("layout: motion_steps and motion_values differ in length");
        _motion.Clear();
        for (int i = 0; i < steps.Length; i++) _motion.Enqueue((steps[i], values[i]));
    }
}
