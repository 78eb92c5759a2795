using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Commons.Inference.Tools;

/// <summary>
/// Writes a llama.cpp GBNF grammar that only lets a model produce JSON valid against a schema, for
/// the subset Semantic Kernel emits: objects with required and optional properties (written in the
/// schema's order, required ones first), strings (with min/max length), numbers, integers, booleans,
/// null, enums and consts, arrays (with min/max items), type lists and anyOf/oneOf. Anything else is
/// allowed to be any JSON value.
/// </summary>
public sealed class JsonSchemaGbnf
{
    /// <summary>Longest string the grammar allows when the schema sets no maxLength, so a small model cannot ramble forever inside quotes.</summary>
    public const int DefaultMaxStringLength = 1000;

    private const int MaxDepth = 32;
    private readonly List<(string Name, string Body)> _rules = [];
    private readonly Dictionary<string, string> _byBody = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly int _maxStringLength;

    public JsonSchemaGbnf(int maxStringLength = DefaultMaxStringLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxStringLength);
        _maxStringLength = maxStringLength;
        Define("ws", "[ ]?");
        Define("char", "[^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})");
    }

    /// <summary>A complete grammar whose <c>root</c> is one JSON value valid against <paramref name="schema"/>.</summary>
    public static string Convert(JsonElement schema, int maxStringLength = DefaultMaxStringLength)
    {
        var builder = new JsonSchemaGbnf(maxStringLength);
        var value = builder.Add(schema, "value");
        return builder.Build(value);
    }

    /// <summary>Adds the rules for a schema; returns the rule name that matches one value.</summary>
    public string Add(JsonElement schema, string nameHint) => Visit(schema, Sanitize(nameHint), 0);

    /// <summary>The grammar text with <c>root ::= <paramref name="rootBody"/></c> first.</summary>
    public string Build(string rootBody)
    {
        var text = new StringBuilder();
        text.Append("root ::= ").Append(rootBody).Append('\n');
        foreach (var (name, body) in _rules)
        {
            text.Append(name).Append(" ::= ").Append(body).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A GBNF string literal matching <paramref name="text"/> exactly.</summary>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var literal = new StringBuilder("\"");
        foreach (var c in text)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return literal.Append('"').ToString();
    }

    private string Visit(JsonElement schema, string hint, int depth)
    {
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            return AnyValue();
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            return Define(hint, string.Join(" | ", values.EnumerateArray().Select(v => Literal(Compact(v)))));
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return Define(hint, Literal(Compact(constant)));
        }

        foreach (var key in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(key, out var options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
            {
                var alternatives = options.EnumerateArray().Select((o, i) => Visit(o, $"{hint}-{i}", depth + 1));
                return Define(hint, string.Join(" | ", alternatives));
            }
        }

        var types = JsonSchemaValidator.Types(schema);
        if (types.Count == 0)
        {
            types = schema.TryGetProperty("properties", out _) ? ["object"] : [];
        }

        if (types.Count == 0)
        {
            return AnyValue();
        }

        var rules = types.Distinct(StringComparer.Ordinal).Select(type => TypeRule(schema, type, hint, depth)).ToList();
        return rules.Count == 1 ? rules[0] : Define(hint, string.Join(" | ", rules));
    }

    private string TypeRule(JsonElement schema, string type, string hint, int depth) => type switch
    {
        "string" => StringRule(schema),
        "integer" => IntegerRule(schema),
        "number" => Define("number", "\"-\"? (\"0\" | [1-9] [0-9]{0,15}) (\".\" [0-9]{1,15})? ([eE] [-+]? [0-9]{1,3})?"),
        "boolean" => Define("boolean", "\"true\" | \"false\""),
        "null" => Define("null", "\"null\""),
        "array" => ArrayRule(schema, hint, depth),
        "object" => ObjectRule(schema, hint, depth),
        _ => AnyValue(),
    };

    private string StringRule(JsonElement schema)
    {
        var min = Int(schema, "minLength") ?? 0;
        var max = Int(schema, "maxLength") ?? Math.Max(min, _maxStringLength);
        var name = min == 0 && max == _maxStringLength ? "string" : $"string-{min}-{max}";
        return Define(name, string.Create(CultureInfo.InvariantCulture, $"\"\\\"\" char{{{min},{max}}} \"\\\"\""));
    }

    private string IntegerRule(JsonElement schema)
    {
        var nonNegative = schema.TryGetProperty("minimum", out var minimum) && minimum.ValueKind == JsonValueKind.Number && minimum.GetDouble() >= 0;
        return nonNegative
            ? Define("natural", "\"0\" | [1-9] [0-9]{0,15}")
            : Define("integer", "\"-\"? (\"0\" | [1-9] [0-9]{0,15})");
    }

    private string ArrayRule(JsonElement schema, string hint, int depth)
    {
        var item = schema.TryGetProperty("items", out var items) ? Visit(items, hint + "-item", depth + 1) : AnyValue();
        var min = Int(schema, "minItems") ?? 0;
        var max = Int(schema, "maxItems");
        string body;
        if (max is 0)
        {
            body = "\"[\" ws \"]\"";
        }
        else
        {
            var restMin = Math.Max(0, min - 1);
            var rest = max is int m
                ? string.Create(CultureInfo.InvariantCulture, $"(\",\" ws {item}){{{restMin},{m - 1}}}")
                : string.Create(CultureInfo.InvariantCulture, $"(\",\" ws {item}){{{restMin},}}");
            var items1 = $"{item} {rest}";
            body = min == 0 ? $"\"[\" ws ({items1})? ws \"]\"" : $"\"[\" ws {items1} ws \"]\"";
        }

        return Define(hint, body);
    }

    private string ObjectRule(JsonElement schema, string hint, int depth)
    {
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().ToList()
            : [];
        if (properties.Count == 0)
        {
            // No declared properties: an empty object unless more are allowed.
            // Declared with no properties (a tool without parameters): only {}. Undeclared: any object.
            var declared = schema.TryGetProperty("properties", out _);
            var open = schema.TryGetProperty("additionalProperties", out var additional)
                ? additional.ValueKind != JsonValueKind.False
                : !declared;
            return open ? AnyObject() : Define("empty-object", "\"{\" ws \"}\"");
        }

        var pairs = new List<(string Rule, bool Required)>();
        foreach (var property in properties.OrderBy(x => required.Contains(x.Name) ? 0 : 1))
        {
            var value = Visit(property.Value, $"{hint}-{property.Name}", depth + 1);
            var key = Literal(JsonSerializer.Serialize(property.Name));
            pairs.Add((Define($"{hint}-{property.Name}-kv", $"{key} ws \":\" ws {value}"), required.Contains(property.Name)));
        }

        var mandatory = pairs.Where(x => x.Required).Select(x => x.Rule).ToList();
        var optional = pairs.Where(x => !x.Required).Select(x => x.Rule).ToList();
        string inner;
        if (mandatory.Count > 0)
        {
            inner = string.Join(" \",\" ws ", mandatory) + string.Concat(optional.Select(o => $" (\",\" ws {o})?"));
        }
        else
        {
            // No required property: whichever optional one comes first has no comma before it.
            var alternatives = optional.Select((o, i) => o + string.Concat(optional.Skip(i + 1).Select(later => $" (\",\" ws {later})?")));
            inner = "(" + string.Join(" | ", alternatives) + ")?";
        }

        return Define(hint, $"\"{{\" ws {inner} ws \"}}\"");
    }

    private string AnyValue()
    {
        AnyObject();
        return "json-any";
    }

    /// <summary>Any JSON object; the three generic rules refer to each other, so they are defined together under fixed names.</summary>
    private string AnyObject()
    {
        if (_names.Contains("json-any"))
        {
            return "json-object";
        }

        var s = StringRule(default);
        var number = TypeRule(default, "number", "number", 0);
        AddFixed("json-any", $"json-object | json-array | {s} | {number} | \"true\" | \"false\" | \"null\"");
        AddFixed("json-array", "\"[\" ws (json-any (\",\" ws json-any)*)? ws \"]\"");
        AddFixed("json-object", $"\"{{\" ws ({s} ws \":\" ws json-any (\",\" ws {s} ws \":\" ws json-any)*)? ws \"}}\"");
        return "json-object";
    }

    private void AddFixed(string name, string body)
    {
        _names.Add(name);
        _rules.Add((name, body));
    }

    /// <summary>Adds a rule, reusing an existing one with the same body; returns its name.</summary>
    private string Define(string name, string body)
    {
        if (_byBody.TryGetValue(body, out var existing))
        {
            return existing;
        }

        name = Sanitize(name);
        var unique = name;
        for (var i = 2; !_names.Add(unique); i++)
        {
            unique = string.Create(CultureInfo.InvariantCulture, $"{name}{i}");
        }

        _rules.Add((unique, body));
        _byBody[body] = unique;
        return unique;
    }

    private static int? Int(JsonElement schema, string key) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(key, out var v) && v.TryGetInt32(out var i) && i >= 0 ? i : null;

    private static string Compact(JsonElement value) => JsonSerializer.Serialize(value);

    private static string Sanitize(string hint)
    {
        var name = new StringBuilder();
        foreach (var c in hint)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        return name.Length == 0 ? "value" : name.ToString();
    }
}
