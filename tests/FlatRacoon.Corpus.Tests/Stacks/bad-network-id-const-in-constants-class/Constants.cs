namespace Corpus;

internal static class Constants
{
    // A constant string: it becomes a network id where it is converted, and is checked there.
    public const string OfficeNetwork = "8056c2e21c00000g";
}
