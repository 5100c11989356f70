using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace FlatRacoon.Testing.Fake;

public sealed partial class FakeApiServer
{
    /// <summary>
    /// The fake's objects by store key (<see cref="StoreKey"/>), and in list order by resource,
    /// namespace and name: a list reads its own resource and namespace in order instead of scanning
    /// and sorting every object the fake holds (a plan lists each kind in each namespace). Callers
    /// hold the fake's lock.
    /// </summary>
    private sealed class ObjectStore : IEnumerable<KeyValuePair<string, StoredObject>>
    {
        private readonly Dictionary<string, (StoredObject Stored, string Namespace, string Name)> _byKey = new(StringComparer.Ordinal);
        private readonly Dictionary<FakeResource, SortedDictionary<string, SortedDictionary<string, StoredObject>>> _ordered = new();

        public IEnumerable<StoredObject> Values => _byKey.Values.Select(e => e.Stored);

        public bool TryGetValue(string key, out StoredObject stored)
        {
            var found = _byKey.TryGetValue(key, out var entry);
            stored = entry.Stored;
            return found;
        }

        public bool ContainsKey(string key) => _byKey.ContainsKey(key);

        /// <summary>Adds or replaces the object under <paramref name="key"/> (its namespace and name place it in list order).</summary>
        public StoredObject this[string key]
        {
            set
            {
                Remove(key);
                // Cluster-scoped objects are under "" (first, as null sorts).
                var (ns, name) = (FakeJson.Namespace(value.Object) ?? "", FakeJson.Name(value.Object));
                _byKey[key] = (value, ns, name);
                if (!_ordered.TryGetValue(value.Resource, out var namespaces))
                {
                    _ordered[value.Resource] = namespaces = new SortedDictionary<string, SortedDictionary<string, StoredObject>>(StringComparer.Ordinal);
                }
                if (!namespaces.TryGetValue(ns, out var names))
                {
                    namespaces[ns] = names = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
                }
                names[name] = value;
            }
        }

        public bool Remove(string key)
        {
            if (!_byKey.Remove(key, out var entry))
            {
                return false;
            }
            var namespaces = _ordered[entry.Stored.Resource];
            var names = namespaces[entry.Namespace];
            names.Remove(entry.Name);
            if (names.Count == 0)
            {
                namespaces.Remove(entry.Namespace);
            }
            return true;
        }

        /// <summary>The objects of <paramref name="resource"/> (in <paramref name="ns"/>, or in all namespaces when null), by namespace then name (ordinal).</summary>
        public IEnumerable<StoredObject> InOrder(FakeResource resource, string? ns)
        {
            if (!_ordered.TryGetValue(resource, out var namespaces))
            {
                return Array.Empty<StoredObject>();
            }
            if (ns is not null)
            {
                return namespaces.TryGetValue(ns, out var names) ? names.Values : Array.Empty<StoredObject>();
            }
            return namespaces.Values.SelectMany(names => names.Values);
        }

        public IEnumerator<KeyValuePair<string, StoredObject>> GetEnumerator() =>
            _byKey.Select(p => new KeyValuePair<string, StoredObject>(p.Key, p.Value.Stored)).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
