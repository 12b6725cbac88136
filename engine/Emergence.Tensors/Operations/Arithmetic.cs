using System.Numerics;
using Emergence.Tensors.Autograd;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Emergence.Tensors.Operations;

/// <summary>Differentiable tensor operations. Each file holds one op family, forward beside backward.</summary>
public static unsafe partial class Ops
{
    /// <summary><c>a + b</c> with broadcasting.</summary>
    public static Tensor<T> Add<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Binary(BinaryKind.Add, a, b);

    /// <summary><c>a - b</c> with broadcasting.</summary>
    public static Tensor<T> Sub<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Binary(BinaryKind.Sub, a, b);

    /// <summary><c>a * b</c> elementwise with broadcasting.</summary>
    public static Tensor<T> Mul<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Binary(BinaryKind.Mul, a, b);

    /// <summary><c>a / b</c> elementwise with broadcasting (IEEE semantics for zero divisors).</summary>
    public static Tensor<T> Div<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Binary(BinaryKind.Div, a, b);

    /// <summary><c>scale · a + shift</c> for scalars (covers add-scalar, multiply-by-scalar and negation).</summary>
    public static Tensor<T> Affine<T>(Tensor<T> a, T scale, T shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Tape<T>.New(a.Shape);
        TP.Multiply(a.Span, scale, y.Span);
        if (shift != T.Zero) TP.Add(y.Span, shift, y.Span);
        if (Tape<T>.RecorderFor(a) is { } tape)
        {
            ref var e = ref tape.Push(&AffineBackward<T>, y);
            e.A = a;
            e.S0 = double.CreateChecked(scale);
        }
        return y;
    }

    private static void AffineBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ga = tape.GradOf(e.A!).Span;
        TP.MultiplyAdd(e.Out.Grad!.Span, T.CreateChecked(e.S0), ga, ga);
    }

    private static Tensor<T> Binary<T>(BinaryKind op, Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plan = new BroadcastPlan(a.Shape, b.Shape);
        var y = Tape<T>.New(plan.Out);
        BroadcastKernels.Binary(op, plan, a.Span, b.Span, y.Span);
        if (Tape<T>.RecorderFor(a, b) is { } tape)
        {
            ref var e = ref tape.Push(&BinaryBackward<T>, y);
            (e.A, e.B, e.I0) = (a, b, (int)op);
        }
        return y;
    }

    private static void BinaryBackward<T>(ref TapeEntry<T> e, Tape<T> tape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> a = e.A!, b = e.B!, y = e.Out;
        var op = (BinaryKind)e.I0;
        var plan = new BroadcastPlan(a.Shape, b.Shape);
        ReadOnlySpan<T> g = y.Grad!.Span;
        var outPlanB = new BroadcastPlan(y.Shape, b.Shape);
        var outPlanA = new BroadcastPlan(y.Shape, a.Shape);
        bool plain = op is BinaryKind.Add or BinaryKind.Sub;
        if (a.RequiresGrad)
        {
            var ga = tape.GradOf(a, out bool fresh).Span;
            if (fresh && plain && ga.Length == g.Length) g.CopyTo(ga); // the gradient itself, nothing to accumulate onto
            else
            {
                if (fresh) ga.Clear();
                if (plain) BroadcastKernels.ReduceInto(plan, true, g, ga);
                else
                {
                    // d(a*b)/da = b, d(a/b)/da = 1/b
                    var tmp = tape.Temp(y.Shape).Span;
                    BroadcastKernels.Binary(op, outPlanB, g, b.Span, tmp);
                    BroadcastKernels.ReduceInto(plan, true, tmp, ga);
                }
            }
        }
        if (!b.RequiresGrad) return;
        var gb = tape.GradOf(b, out bool freshB).Span;
        if (freshB && op == BinaryKind.Add && gb.Length == g.Length)
        {
            g.CopyTo(gb);
            return;
        }
        if (freshB) gb.Clear();
        if (op == BinaryKind.Add) BroadcastKernels.ReduceInto(plan, false, g, gb);
        else
        {
            var tmp = tape.Temp(y.Shape).Span;
            switch (op)
            {
                case BinaryKind.Sub: TP.Negate(g, tmp); break;
                case BinaryKind.Mul: BroadcastKernels.Binary(BinaryKind.Mul, outPlanA, g, a.Span, tmp); break;
                default:
                    // d(a/b)/db = -a/b² = -y/b
                    TP.Multiply(g, y.Span, tmp);
                    BroadcastKernels.Binary(BinaryKind.Div, outPlanB, tmp, b.Span, tmp);
                    TP.Negate(tmp, tmp);
                    break;
            }
            BroadcastKernels.ReduceInto(plan, false, tmp, gb);
        }
    }
}
