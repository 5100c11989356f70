using System;
using System.Collections.Generic;
using System.Linq;
using FlatRacoon.Topology;

namespace FlatRacoon.Stacks.Rules
{
    /// <summary>A problem in the dependency graph; <see cref="StackRules"/> turns it into a <see cref="StackFinding"/> at its declaring line.</summary>
    internal sealed record GraphIssue(string RuleId, string Module, string Message, IReadOnlyList<string> Chain, string? Capability = null);

    /// <summary>
    /// The dependency graph of a stack, over the modules' descriptors (the one model of a module's
    /// facts): capabilities resolved to providers, deterministic
    /// deployment waves (a module's wave is one more than the highest wave it depends on;
    /// ordinal name order inside a wave), cycles and missing providers with their chains.
    /// </summary>
    internal sealed class DependencyGraph
    {
        private readonly Dictionary<string, ModuleDescriptor> _nodes;
        private readonly Dictionary<string, List<string>> _providers;
        private readonly Dictionary<string, SortedSet<string>> _dependencies;
        private readonly Dictionary<string, int> _waveOf = new Dictionary<string, int>(StringComparer.Ordinal);

        private DependencyGraph(
            Dictionary<string, ModuleDescriptor> nodes,
            Dictionary<string, List<string>> providers,
            Dictionary<string, SortedSet<string>> dependencies,
            List<GraphIssue> issues)
        {
            _nodes = nodes;
            _providers = providers;
            _dependencies = dependencies;
            Issues = issues;
            Waves = ComputeWaves(issues);
        }

        /// <summary>Modules by wave: wave 0 needs nothing from other modules.</summary>
        public IReadOnlyList<IReadOnlyList<string>> Waves { get; }

        /// <summary>Everything wrong with the topology; empty when it can be deployed.</summary>
        public IReadOnlyList<GraphIssue> Issues { get; }

        /// <summary>Module names, ordinal order.</summary>
        public IEnumerable<string> Modules => _nodes.Keys.OrderBy(k => k, StringComparer.Ordinal);

        /// <summary>The modules <paramref name="module"/> depends on, ordinal order.</summary>
        public IReadOnlyCollection<string> DependenciesOf(string module) =>
            _dependencies.TryGetValue(module, out var deps) ? deps : (IReadOnlyCollection<string>)Array.Empty<string>();

        /// <summary>The modules that provide <paramref name="capability"/>, ordinal order.</summary>
        public IReadOnlyList<string> ProvidersOf(string capability) =>
            _providers.TryGetValue(capability, out var p) ? p : (IReadOnlyList<string>)Array.Empty<string>();

        /// <summary>The wave of <paramref name="module"/>, or -1 when it has none (it is in a cycle).</summary>
        public int WaveOf(string module) => _waveOf.TryGetValue(module, out var w) ? w : -1;

        /// <summary>
        /// Builds the graph. <paramref name="explicitDependencies"/> are extra edges (module, dependency)
        /// the user declared; <paramref name="catalog"/>, when given, names modules that could provide a
        /// missing capability.
        /// </summary>
        internal static DependencyGraph Build(
            IEnumerable<ModuleDescriptor> nodes,
            IEnumerable<string>? externalCapabilities = null,
            IEnumerable<KeyValuePair<string, string>>? explicitDependencies = null,
            IEnumerable<ModuleDescriptor>? catalog = null)
        {
            var issues = new List<GraphIssue>();
            var byName = new Dictionary<string, ModuleDescriptor>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                if (byName.ContainsKey(node.Name))
                {
                    issues.Add(new GraphIssue(RuleIds.DuplicateModule, node.Name,
                        $"Module '{node.Name}' is added twice; a stack holds each module once.", new[] { node.Name }));
                    continue;
                }
                byName.Add(node.Name, node);
            }

            var external = new HashSet<string>(externalCapabilities ?? Layers.ExternalCapabilities, StringComparer.Ordinal);
            var providers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var node in byName.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                foreach (var capability in node.Provides)
                {
                    if (!providers.TryGetValue(capability, out var list))
                    {
                        providers[capability] = list = new List<string>();
                    }
                    list.Add(node.Name);
                }
            }

            var dependencies = byName.Keys.ToDictionary(k => k, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
            var missing = new List<(string Module, string Capability)>();
            foreach (var node in byName.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                foreach (var capability in node.Requires.Distinct(StringComparer.Ordinal))
                {
                    if (providers.TryGetValue(capability, out var list))
                    {
                        foreach (var provider in list.Where(p => p != node.Name))
                        {
                            dependencies[node.Name].Add(provider);
                        }
                    }
                    else if (!external.Contains(capability))
                    {
                        missing.Add((node.Name, capability));
                    }
                }
            }
            foreach (var edge in explicitDependencies ?? Enumerable.Empty<KeyValuePair<string, string>>())
            {
                if (dependencies.TryGetValue(edge.Key, out var deps) && byName.ContainsKey(edge.Value) && edge.Key != edge.Value)
                {
                    deps.Add(edge.Value);
                }
            }

            foreach (var (module, capability) in missing)
            {
                var chain = DependentChain(module, dependencies);
                var candidates = (catalog ?? Enumerable.Empty<ModuleDescriptor>())
                    .Where(n => n.Provides.Contains(capability, StringComparer.Ordinal))
                    .Select(n => n.Name)
                    .Distinct(StringComparer.Ordinal)
                    .OrderBy(n => n, StringComparer.Ordinal)
                    .ToArray();
                var hint = candidates.Length > 0
                    ? $" Add a module that provides it: {string.Join(", ", candidates)}."
                    : " No known module provides it; add one, or declare it external if the cluster provides it.";
                var via = chain.Count > 1 ? $" (needed by {string.Join(" → ", chain)})" : "";
                issues.Add(new GraphIssue(RuleIds.MissingProvider, module,
                    $"Module '{module}' requires capability '{capability}', which no module in the stack provides{via}.{hint}",
                    chain, capability));
            }

            foreach (var cycle in FindCycles(dependencies))
            {
                issues.Add(new GraphIssue(RuleIds.DependencyCycle, cycle[0],
                    $"Modules depend on each other in a cycle: {string.Join(" → ", cycle)}. Remove one of these dependencies.",
                    cycle));
            }

            return new DependencyGraph(byName, providers, dependencies, issues);
        }

        private IReadOnlyList<IReadOnlyList<string>> ComputeWaves(List<GraphIssue> issues)
        {
            // Kahn's algorithm by levels, linear in modules + edges (a long dependency chain must not
            // cost quadratic time: the analyzers run this on every edit). Modules in or behind a cycle
            // never become ready and get no wave.
            var pending = new Dictionary<string, int>(_dependencies.Count, StringComparer.Ordinal);
            var dependents = new Dictionary<string, List<string>>(_dependencies.Count, StringComparer.Ordinal);
            foreach (var entry in _dependencies)
            {
                pending[entry.Key] = entry.Value.Count;
                foreach (var dependency in entry.Value)
                {
                    if (!dependents.TryGetValue(dependency, out var list))
                    {
                        dependents[dependency] = list = new List<string>();
                    }
                    list.Add(entry.Key);
                }
            }
            var ready = pending.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToList();
            var waves = new List<IReadOnlyList<string>>();
            while (ready.Count > 0)
            {
                ready.Sort(StringComparer.Ordinal);
                var next = new List<string>();
                foreach (var module in ready)
                {
                    _waveOf[module] = waves.Count;
                    if (dependents.TryGetValue(module, out var list))
                    {
                        foreach (var dependent in list)
                        {
                            if (--pending[dependent] == 0)
                            {
                                next.Add(dependent);
                            }
                        }
                    }
                }
                waves.Add(ready.ToArray());
                ready = next;
            }
            return waves;
        }

        // One path from a module nobody depends on down to `module`: the modules that need it.
        private static IReadOnlyList<string> DependentChain(string module, Dictionary<string, SortedSet<string>> dependencies)
        {
            var chain = new List<string> { module };
            var seen = new HashSet<string>(StringComparer.Ordinal) { module };
            var current = module;
            while (true)
            {
                var dependent = dependencies
                    .Where(kv => kv.Value.Contains(current) && !seen.Contains(kv.Key))
                    .Select(kv => kv.Key)
                    .OrderBy(k => k, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (dependent is null)
                {
                    break;
                }
                chain.Insert(0, dependent);
                seen.Add(dependent);
                current = dependent;
            }
            return chain;
        }

        // Each elementary cycle found by DFS, reported once, rotated to start at its smallest name.
        private static List<string[]> FindCycles(Dictionary<string, SortedSet<string>> dependencies)
        {
            var cycles = new List<string[]>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var state = new Dictionary<string, int>(StringComparer.Ordinal); // 0 new, 1 on stack, 2 done
            var stack = new List<string>();

            void Visit(string node)
            {
                state[node] = 1;
                stack.Add(node);
                foreach (var dep in dependencies[node])
                {
                    state.TryGetValue(dep, out var s);
                    if (s == 1)
                    {
                        var start = stack.IndexOf(dep);
                        var cycle = stack.Skip(start).ToList();
                        var min = cycle.IndexOf(cycle.OrderBy(c => c, StringComparer.Ordinal).First());
                        var rotated = cycle.Skip(min).Concat(cycle.Take(min)).ToList();
                        rotated.Add(rotated[0]);
                        if (keys.Add(string.Join("|", rotated)))
                        {
                            cycles.Add(rotated.ToArray());
                        }
                    }
                    else if (s == 0)
                    {
                        Visit(dep);
                    }
                }
                stack.RemoveAt(stack.Count - 1);
                state[node] = 2;
            }

            foreach (var node in dependencies.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                if (!state.ContainsKey(node))
                {
                    Visit(node);
                }
            }
            return cycles;
        }
    }
}
