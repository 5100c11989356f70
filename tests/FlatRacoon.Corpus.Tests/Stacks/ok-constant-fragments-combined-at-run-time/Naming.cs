namespace Corpus;

internal static class Naming
{
    public const string Apex = "flatracoon.internal";
    // Only ever a tail: ".flatracoon.internal" alone is no DNS name, and it is never used alone.
    public const string Suffix = "." + Apex;
}
