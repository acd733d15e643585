using System.Text.Json;
using System.Text.Json.Serialization;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>Deserializes the scenario's integer fields as <see cref="IntegralNumber"/> reads them, so that <c>1e2</c>,
/// which the shape check lets through, deserializes too (the built-in converter wants digits only).</summary>
internal sealed class IntegralNumberConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && IntegralNumber.Read(ref reader, out long value) == IntegralNumber.Kind.Fits) return value;
        throw new JsonException("expected a whole number");
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
