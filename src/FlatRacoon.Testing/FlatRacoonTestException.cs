using System;

namespace FlatRacoon.Testing;

/// <summary>
/// A failed expectation of the testing kit. Its message says what was expected and what was found,
/// readably, so any test framework (xUnit, NUnit, MSTest) reports it as the test's failure.
/// It never contains a secret value.
/// </summary>
public sealed class FlatRacoonTestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlatRacoonTestException(string message) : base(message) { }
}
