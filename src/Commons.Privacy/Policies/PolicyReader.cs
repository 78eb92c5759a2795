using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Commons.Privacy.Policies;

/// <summary>Typed access to one YAML policy file that records every problem with its line.</summary>
public sealed class PolicyReader(string file, List<PolicyError> errors)
{
    public string File => file;

    /// <summary>
    /// Parses <paramref name="text"/> (the file's canonical text) as one YAML mapping of version 1;
    /// returns its root, or null with the problems recorded.
    /// </summary>
    public YamlMappingNode? ReadVersionOne(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1)
            {
                errors.Add(new PolicyError(new PolicyLocation(file, 1, 1), "the file must hold exactly one YAML document"));
                return null;
            }

            var root = AsMap(stream.Documents[0].RootNode, "the file");
            if (root is not null && String(root, "version", required: true) is { } version && version != "1")
            {
                Error(Get(root, "version")!, $"version {version} is not supported; this Commons reads version 1");
            }

            return root;
        }
        catch (YamlException ex)
        {
            errors.Add(new PolicyError(new PolicyLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), $"not valid YAML: {ex.Message}"));
            return null;
        }
    }

    /// <summary>A file's text as policies are read and hashed: UTF-8, LF line ends, no byte-order mark.</summary>
    public static string ReadCanonical(string path) =>
        System.IO.File.ReadAllText(path, System.Text.Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');

    public PolicyLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string message) => errors.Add(new PolicyError(At(node), message));

    public void Error(PolicyLocation location, string message) => errors.Add(new PolicyError(location, message));

    public YamlMappingNode? AsMap(YamlNode? node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        if (node is not null)
        {
            Error(node, $"{what} must be a mapping (key: value lines)");
        }

        return null;
    }

    public void CheckKeys(YamlMappingNode map, string what, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(key, $"unknown key '{name}' in {what}; expected one of: {string.Join(", ", allowed)}");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? String(YamlMappingNode map, string key, bool required)
    {
        var node = Get(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(map, $"'{key}' is missing");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{key}' must be a single value");
            return null;
        }

        return scalar.Value ?? "";
    }

    public decimal? Decimal(YamlMappingNode map, string key, decimal min, decimal max)
    {
        var text = String(map, key, required: true);
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(Get(map, key)!, $"'{key}' must be a number from {min} to {max}, not '{text}'");
            return null;
        }

        return value;
    }

    public long? Integer(YamlMappingNode map, string key, long min, long max, bool required)
    {
        var text = String(map, key, required);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(Get(map, key)!, $"'{key}' must be a whole number from {min} to {max}, not '{text}'");
            return null;
        }

        return value;
    }

    public IReadOnlyList<YamlNode> Sequence(YamlMappingNode map, string key, bool required)
    {
        var node = Get(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(map, $"'{key}' is missing");
            }

            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' must be a list");
            return [];
        }

        return [.. sequence.Children];
    }

    /// <summary>A single value, trimmed, that must not be empty.</summary>
    public string? Text(YamlMappingNode map, string key, bool required)
    {
        var value = String(map, key, required);
        if (value is not null && value.Trim().Length == 0)
        {
            Error(Get(map, key)!, $"'{key}' must be a single, non-empty value");
            return null;
        }

        return value?.Trim();
    }

    /// <summary>An optional list of single values, each trimmed and none empty.</summary>
    public List<string> Texts(YamlMappingNode map, string key)
    {
        var values = new List<string>();
        foreach (var item in Sequence(map, key, required: false))
        {
            if (item is YamlScalarNode { Value: { } value } && value.Trim().Length > 0)
            {
                values.Add(value.Trim());
            }
            else
            {
                Error(item, $"every entry of '{key}' must be a single, non-empty value");
            }
        }

        return values;
    }

    public List<string> Strings(YamlMappingNode map, string key, bool required)
    {
        var values = new List<string>();
        foreach (var item in Sequence(map, key, required))
        {
            if (item is YamlScalarNode { Value: { } value })
            {
                values.Add(value);
            }
            else
            {
                Error(item, $"every entry of '{key}' must be a single value");
            }
        }

        return values;
    }
}
