using System.Globalization;
using System.Text.Json;

namespace Commons.Inference.Tools;

/// <summary>
/// Checks a JSON value against the JSON-schema subset Semantic Kernel emits for tool parameters:
/// <c>type</c> (one or a list), <c>properties</c>, <c>required</c>, <c>items</c>, <c>enum</c>,
/// <c>const</c>, <c>anyOf</c>/<c>oneOf</c>, <c>minimum</c>/<c>maximum</c>, <c>minLength</c>/<c>maxLength</c>.
/// Unknown keywords are ignored.
/// </summary>
public static class JsonSchemaValidator
{
    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>, as short sentences naming the path; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonElement value, JsonElement schema)
    {
        var errors = new List<string>();
        Check(value, schema, "arguments", errors);
        return errors;
    }

    private static void Check(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path} is not allowed");
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var key in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(key, out var options) && options.ValueKind == JsonValueKind.Array)
            {
                if (!options.EnumerateArray().Any(option => Validate(value, option).Count == 0))
                {
                    errors.Add($"{path} matches none of the allowed shapes");
                }

                return;
            }
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
        {
            if (!allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
            {
                errors.Add($"{path} must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}");
            }

            return;
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            errors.Add($"{path} must be {constant.GetRawText()}");
            return;
        }

        var types = Types(schema);
        if (types.Count > 0 && !types.Any(t => IsType(value, t)))
        {
            errors.Add($"{path} must be {string.Join(" or ", types.Select(Article))}, not {Describe(value)}");
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(value, schema, path, errors);
                break;
            case JsonValueKind.Array:
                CheckArray(value, schema, path, errors);
                break;
            case JsonValueKind.String:
                var length = value.GetString()!.Length;
                if (schema.TryGetProperty("minLength", out var min) && min.TryGetInt32(out var minLength) && length < minLength)
                {
                    errors.Add($"{path} must be at least {minLength} characters long");
                }

                if (schema.TryGetProperty("maxLength", out var max) && max.TryGetInt32(out var maxLength) && length > maxLength)
                {
                    errors.Add($"{path} must be at most {maxLength} characters long");
                }

                break;
            case JsonValueKind.Number:
                var number = value.GetDouble();
                if (schema.TryGetProperty("minimum", out var minimum) && minimum.ValueKind == JsonValueKind.Number && number < minimum.GetDouble())
                {
                    errors.Add($"{path} must be at least {minimum.GetRawText()}");
                }

                if (schema.TryGetProperty("maximum", out var maximum) && maximum.ValueKind == JsonValueKind.Number && number > maximum.GetDouble())
                {
                    errors.Add($"{path} must be at most {maximum.GetRawText()}");
                }

                break;
        }
    }

    private static void CheckObject(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}.{name} is required but missing");
                }
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        foreach (var property in value.EnumerateObject())
        {
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(property.Value, propertySchema, $"{path}.{property.Name}", errors);
            }
            else if (closed)
            {
                errors.Add($"{path}.{property.Name} is not a known argument");
            }
        }
    }

    private static void CheckArray(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        var count = value.GetArrayLength();
        if (schema.TryGetProperty("minItems", out var min) && min.TryGetInt32(out var minItems) && count < minItems)
        {
            errors.Add($"{path} must have at least {minItems} items");
        }

        if (schema.TryGetProperty("maxItems", out var max) && max.TryGetInt32(out var maxItems) && count > maxItems)
        {
            errors.Add($"{path} must have at most {maxItems} items");
        }

        if (schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"), errors);
            }
        }
    }

    internal static List<string> Types(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => type.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList(),
            _ => [],
        };
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static bool IsInteger(JsonElement value) =>
        value.TryGetInt64(out _) || (value.TryGetDecimal(out var d) && decimal.Truncate(d) == d);

    private static string Article(string type) => type switch
    {
        "object" or "array" or "integer" => "an " + type,
        "null" => "null",
        _ => "a " + type,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
