using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using HvBench.Vmm.Configuration;
using HvBench.Vmm.Configuration.Json;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>
/// Keeps docs/scenario.schema.json in step with the parser: the field names come from the source-generated
/// metadata, ranges and names from <see cref="FieldRules"/>, and the cross-field rules are checked both in the
/// schema text and by parsing.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class TheScenarioSchema
{
    private static readonly string[] s_sizeCorpus =
        ["64M", "64m", "4K", "4k", "1G", "1g", "0", "12345", "064M", "12Q", "", "64 M", " 64M", "-1M", "+1M", "1.5G", "M", "64MB", "0x10", "1T", "K"];

    private static readonly string[] s_durationCorpus =
        ["500ms", "30s", "2m", "30", "0", "0ms", "soon", "", "30S", "30 s", "1.5s", "1h", "-1s", "ms", "s", "m", "30sec", "30mss", "00:00:30"];

    private readonly ScenarioSchemaFile _schema = ScenarioSchemaFile.Load();

    [Test]
    public void IsDraft202012() =>
        Assert.That(_schema.Root.GetProperty("$schema").GetString(), Is.EqualTo("https://json-schema.org/draft/2020-12/schema"));

    [Test]
    public void ReachesEveryObjectTheParserReads()
    {
        Type[] documents = [typeof(ScenarioDocument), typeof(HypervDocument), typeof(PortDocument), typeof(ConnectionDocument), typeof(PartitionDocument)];
        Assert.That(_schema.Objects.Select(o => o.Info.Type).Distinct(), Is.EquivalentTo(documents));
    }

    [Test]
    public void NamesTheFieldsTheParserAcceptsInEveryObject()
    {
        foreach (SchemaObject schemaObject in _schema.Objects)
        {
            IEnumerable<string> parser = schemaObject.Info.Properties.Select(p => p.Name);
            IEnumerable<string> schema = schemaObject.Schema.GetProperty("properties").EnumerateObject().Select(p => p.Name);
            Assert.That(schema, Is.EquivalentTo(parser), schemaObject.Path);
        }
    }

    [Test]
    public void RequiresTheFieldsTheParserRequiresInEveryObject()
    {
        foreach (SchemaObject schemaObject in _schema.Objects)
        {
            IEnumerable<string> parser = schemaObject.Info.Properties.Where(p => p.IsRequired).Select(p => p.Name);
            IEnumerable<string> schema = schemaObject.Schema.TryGetProperty("required", out JsonElement required)
                ? required.EnumerateArray().Select(e => e.GetString()!)
                : [];
            Assert.That(schema, Is.EquivalentTo(parser), schemaObject.Path);
        }
    }

    [Test]
    public void RefusesUnknownFieldsInEveryObject()
    {
        foreach (SchemaObject schemaObject in _schema.Objects)
        {
            Assert.Multiple(() =>
            {
                Assert.That(schemaObject.Schema.GetProperty("type").GetString(), Is.EqualTo("object"), schemaObject.Path);
                Assert.That(schemaObject.Schema.GetProperty("additionalProperties").ValueKind, Is.EqualTo(JsonValueKind.False), schemaObject.Path);
            });
        }
    }

    [Test]
    public void GivesEveryIntegerTheParsersRange()
    {
        SchemaScalar[] integers = _schema.Scalars.Where(s => s.IsInteger).ToArray();
        Assert.That(integers, Is.Not.Empty);
        foreach (SchemaScalar field in integers)
        {
            Assert.Multiple(() =>
            {
                Assert.That(field.Rule.Format, Is.EqualTo(FieldFormat.Integer), field.Path);
                Assert.That(field.Schema.GetProperty("type").GetString(), Is.EqualTo("integer"), field.Path);
                Assert.That(field.Schema.GetProperty("minimum").GetInt64(), Is.EqualTo(field.Rule.Range.Min), field.Path);
                Assert.That(field.Schema.GetProperty("maximum").GetInt64(), Is.EqualTo(field.Rule.Range.Max), field.Path);
            });
        }
    }

    [Test]
    public void ListsTheNamesTheParserAccepts()
    {
        SchemaScalar[] names = _schema.Scalars.Where(s => s.Rule.Format == FieldFormat.Name).ToArray();
        Assert.That(names.Select(n => n.Name).Distinct(), Is.EquivalentTo(new[] { "convention", "statusProfile", "privileges", "type" }));
        foreach (SchemaScalar field in names)
        {
            string[] schemaNames = field.Schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.That(schemaNames, Is.EqualTo(field.Rule.Allowed), field.Path);
        }
    }

    [Test]
    public void ListsThePrivilegesInTheEnumsBitOrder()
    {
        string[] schemaNames = _schema.Definition("privilege").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string[] enumNames = Enum.GetValues<PartitionPrivileges>().Where(p => p != PartitionPrivileges.None).Order().Select(p => p.ToString()).ToArray();
        Assert.That(schemaNames, Is.EqualTo(enumNames));
    }

    [Test]
    public void HasSizePatternsThatAcceptExactlyWhatMemorySizeParses()
    {
        foreach (SchemaScalar field in _schema.Scalars.Where(s => s.Rule.Format == FieldFormat.Size))
        {
            var pattern = new Regex(field.Schema.GetProperty("pattern").GetString()!);
            Assert.That(field.Schema.GetProperty("type").GetString(), Is.EqualTo("string"), field.Path);
            foreach (string text in s_sizeCorpus)
            {
                Assert.That(pattern.IsMatch(text), Is.EqualTo(MemorySize.TryParse(text, out _, out _)), $"{field.Path}: \"{text}\"");
            }
        }
    }

    [Test]
    public void HasDurationPatternsThatAcceptExactlyWhatDurationParses()
    {
        SchemaScalar[] durations = _schema.Scalars.Where(s => s.Rule.Format == FieldFormat.Duration).ToArray();
        Assert.That(durations, Is.Not.Empty);
        foreach (SchemaScalar field in durations)
        {
            var pattern = new Regex(field.Schema.GetProperty("pattern").GetString()!);
            foreach (string text in s_durationCorpus)
            {
                Assert.That(pattern.IsMatch(text), Is.EqualTo(Duration.TryParse(text, out _, out _)), $"{field.Path}: \"{text}\"");
            }
        }
    }

    [Test]
    public void DescribesTheOtherStringsAsTheParserChecksThem()
    {
        foreach (SchemaScalar field in _schema.Scalars.Where(s => s.Rule.Format is FieldFormat.Path or FieldFormat.Text))
        {
            Assert.Multiple(() =>
            {
                Assert.That(field.Schema.GetProperty("type").GetString(), Is.EqualTo("string"), field.Path);
                Assert.That(field.Schema.TryGetProperty("minLength", out JsonElement minLength) ? minLength.GetInt32() : 0,
                    Is.EqualTo(field.Rule.Format == FieldFormat.Path ? 1 : 0), field.Path);
            });
        }
    }

    [Test]
    public void UsesEveryRuleOfTheParser()
    {
        IEnumerable<(Type, string)> used = _schema.Scalars.Select(s => (s.Owner, s.Name));
        Assert.That(used.Distinct(), Is.EquivalentTo(FieldRules.All.Keys));
    }

    [Test]
    public void RefusesRepeatedPrivilegesLikeTheParser()
    {
        JsonElement privileges = _schema.Definition("hyperv").GetProperty("properties").GetProperty("privileges");
        Assert.Multiple(() =>
        {
            Assert.That(privileges.GetProperty("uniqueItems").GetBoolean(), Is.True);
            Assert.That(() => ScenarioParser.Parse("""{ "hyperv": { "privileges": ["CreatePort", "CreatePort"] } }""", "s.json"),
                Throws.TypeOf<ScenarioException>().With.Property(nameof(ScenarioException.JsonPath)).EqualTo("$.hyperv.privileges[1]"));
        });
    }

    [Test]
    public void AllowsAsManyPartitionsAsTheParser()
    {
        JsonElement partitions = _schema.Root.GetProperty("properties").GetProperty("partitions");
        Assert.Multiple(() =>
        {
            Assert.That(partitions.GetProperty("minItems").GetInt32(), Is.EqualTo(1));
            Assert.That(partitions.GetProperty("maxItems").GetInt32(), Is.EqualTo(ScenarioLimits.MaxPartitions));
        });
    }

    [Test]
    public void ForbidsTheEventPortFieldsOnMessagePortsLikeTheParser()
    {
        JsonElement port = _schema.Definition("port");
        string[] forbidden = ForbiddenProperties(port.GetProperty("then"));
        Assert.Multiple(() =>
        {
            Assert.That(port.GetProperty("if").GetProperty("properties").GetProperty("type").GetProperty("const").GetString(), Is.EqualTo("message"));
            Assert.That(forbidden, Is.EquivalentTo(ScenarioBuilder.EventPortOnlyFields));
        });
        foreach (string field in forbidden)
        {
            string message = $$"""{ "hyperv": { "ports": [ { "id": 1, "type": "message", "targetVp": 0, "targetSint": 1, "{{field}}": 1 } ] } }""";
            string @event = message.Replace("\"message\"", "\"event\"", StringComparison.Ordinal);
            Assert.Multiple(() =>
            {
                Assert.That(() => ScenarioParser.Parse(message, "s.json"),
                    Throws.TypeOf<ScenarioException>().With.Property(nameof(ScenarioException.JsonPath)).EqualTo($"$.hyperv.ports[0].{field}"));
                Assert.That(() => ScenarioParser.Parse(@event, "s.json"), Throws.Nothing);
            });
        }
    }

    [Test]
    public void ForbidsTheSinglePartitionFieldsBesidePartitionsLikeTheParser()
    {
        string[] forbidden = ForbiddenProperties(_schema.Root.GetProperty("dependentSchemas").GetProperty("partitions"));
        Assert.That(forbidden, Is.EquivalentTo(ScenarioBuilder.SingleFormOnlyFields));
        var values = new Dictionary<string, string> { ["$schema"] = "\"x\"", ["vcpus"] = "1", ["memory"] = "\"64M\"", ["timeout"] = "\"1s\"", ["hyperv"] = "{}" };
        foreach (JsonPropertyInfo property in ScenarioJsonContext.Default.ScenarioDocument.Properties.Where(p => p.Name != "partitions"))
        {
            string json = $$"""{ "{{property.Name}}": {{values[property.Name]}}, "partitions": [ { "id": 1 } ] }""";
            if (forbidden.Contains(property.Name))
            {
                Assert.That(() => ScenarioParser.Parse(json, "s.json"),
                    Throws.TypeOf<ScenarioException>().With.Property(nameof(ScenarioException.JsonPath)).EqualTo($"$.{property.Name}"));
            }
            else
            {
                Assert.That(() => ScenarioParser.Parse(json, "s.json"), Throws.Nothing, property.Name);
            }
        }
    }

    private static string[] ForbiddenProperties(JsonElement schema) =>
        schema.GetProperty("properties").EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.False)
            .Select(p => p.Name)
            .ToArray();
}
