namespace FlatRacoon.Generators
{
    /// <summary>Names of the pipeline steps, so tests can check what re-ran after an edit.</summary>
    internal static class TrackingNames
    {
        /// <summary>The MSBuild properties (namespace, visibility).</summary>
        public const string ReadOptions = nameof(ReadOptions);

        /// <summary>One file: recognised, read and parsed into a model (per file, cached per file).</summary>
        public const string ParseFiles = nameof(ParseFiles);

        /// <summary>All parsed files together.</summary>
        public const string CollectFiles = nameof(CollectFiles);

        /// <summary>Cross-file resolution: spec plus diagnostics.</summary>
        public const string BuildModel = nameof(BuildModel);

        /// <summary>The location-free spec the emitter reads.</summary>
        public const string GenerationSpec = nameof(GenerationSpec);

        /// <summary>The identifiers of one file of the project's code (which modules it names).</summary>
        public const string NamesInCode = nameof(NamesInCode);

        /// <summary>The spec with the modules whose typed API is emitted.</summary>
        public const string Emission = nameof(Emission);

        /// <summary>The diagnostics, reported on their own output.</summary>
        public const string Diagnostics = nameof(Diagnostics);
    }
}
