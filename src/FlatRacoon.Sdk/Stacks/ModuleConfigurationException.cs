using System.Collections.Generic;
using FlatRacoon.Topology;

namespace FlatRacoon;

/// <summary>A module was added without values for settings its schema requires (FR0109).</summary>
public sealed class ModuleConfigurationException : StackDeclarationException
{
    /// <summary>Creates the exception.</summary>
    public ModuleConfigurationException(string module, IReadOnlyList<string> missingSettings, SourceLocation location = default)
        : base(RuleIds.MissingRequiredSetting,
            $"Module '{module}' needs {string.Join(", ", missingSettings)}: give it in the environment (configs/environments.ncl, modules.{module}) or in the configuration passed to Add.",
            location)
    {
        Module = module;
        MissingSettings = missingSettings;
    }

    /// <summary>The module.</summary>
    public string Module { get; }
    /// <summary>Schema names of the settings without a value.</summary>
    public IReadOnlyList<string> MissingSettings { get; }

    /// <summary>Throws for <paramref name="module"/>; generated Add methods call this.</summary>
    public static T Throw<T>(string module, params string[] missingSettings) =>
        throw new ModuleConfigurationException(module, missingSettings);
}
