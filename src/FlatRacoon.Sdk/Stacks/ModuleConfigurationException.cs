using System;
using System.Collections.Generic;

namespace FlatRacoon;

/// <summary>A module was added without values for settings its schema requires.</summary>
public sealed class ModuleConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModuleConfigurationException(string module, IReadOnlyList<string> missingSettings)
        : base($"Module '{module}' needs {string.Join(", ", missingSettings)}: give it in the environment (configs/environments.ncl, modules.{module}) or pass a configuration to Add.")
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
