namespace Emergence.Contracts.State;

/// <summary>A component whose complete state can be written and read back bit-exactly.</summary>
public interface IStateful
{
    /// <summary>Writes every value that influences future behaviour.</summary>
    void Save(IStateWriter writer);

    /// <summary>Restores what <see cref="Save"/> wrote; afterwards the component behaves as if it never stopped.</summary>
    void Load(IStateReader reader);
}

/// <summary>Thrown when saved state is missing a key, has the wrong type or shape, or is otherwise unreadable.</summary>
public sealed class StateFormatException : Exception
{
    /// <summary>Creates the exception with a message that names the key path.</summary>
    public StateFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public StateFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with no message.</summary>
    public StateFormatException() { }
}
