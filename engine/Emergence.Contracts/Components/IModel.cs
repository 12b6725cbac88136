using Emergence.Contracts.State;

namespace Emergence.Contracts.Components;

/// <summary>
/// A network's complete state. Everything that influences future steps must be written by
/// <see cref="IStateful.Save"/>; a model restored with <see cref="IStateful.Load"/> must continue
/// bit-identically. RNG streams handed out by the host are saved by the host, not by the model.
/// </summary>
public interface IModel : IStateful
{
}
