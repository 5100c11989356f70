using System;
using System.Collections;
using System.Collections.Generic;

namespace FlatRacoon.Generators.Helpers
{
    /// <summary>
    /// An immutable array with value equality, so pipeline models that hold collections still
    /// compare equal when their contents do (the incremental driver caches on equality).
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        private readonly T[]? _items;

        public EquatableArray(T[] items)
        {
            _items = items;
        }

        public static EquatableArray<T> Empty => default;

        public int Count => _items?.Length ?? 0;

        public bool IsEmpty => Count == 0;

        public T this[int index] => _items![index];

        public static EquatableArray<T> From(IEnumerable<T> items) => new(new List<T>(items).ToArray());

        public bool Equals(EquatableArray<T> other)
        {
            var a = _items ?? Array.Empty<T>();
            var b = other._items ?? Array.Empty<T>();
            if (ReferenceEquals(a, b))
            {
                return true;
            }
            if (a.Length != b.Length)
            {
                return false;
            }
            for (var i = 0; i < a.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(a[i], b[i]))
                {
                    return false;
                }
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            if (_items is null)
            {
                return 0;
            }
            unchecked
            {
                var hash = 17;
                foreach (var item in _items)
                {
                    hash = (hash * 31) + (item is null ? 0 : item.GetHashCode());
                }
                return hash;
            }
        }

        public T[] ToArray() => _items is null ? Array.Empty<T>() : (T[])_items.Clone();

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }

    internal static class EquatableArray
    {
        public static EquatableArray<T> ToEquatableArray<T>(this List<T> items)
            where T : IEquatable<T> => items.Count == 0 ? default : new EquatableArray<T>(items.ToArray());

        public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
            where T : IEquatable<T> => EquatableArray<T>.From(items);
    }
}
