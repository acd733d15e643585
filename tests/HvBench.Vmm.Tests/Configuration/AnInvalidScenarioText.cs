using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration;

/// <summary>More refusals, each with its exact one-line message, through <see cref="ScenarioParser.Parse"/>.</summary>
[TestFixture]
[Category("Unit")]
public sealed class AnInvalidScenarioText
{
    private const string EventPort = """{ "id": 1, "type": "event", "targetVp": 0, "targetSint": 2 }""";

    private static readonly (string Name, string Json, string Message)[] s_cases =
    [
        ("root is an array", "[]", "$: expected an object, got an array"),
        ("root is a string", "\"vcpus\"", "$: expected an object, got \"vcpus\""),
        ("hyperv is a number", """{ "hyperv": 1 }""", "$.hyperv: expected an object, got 1"),
        ("ports is an object", """{ "hyperv": { "ports": {} } }""", "$.hyperv.ports: expected an array, got an object"),
        ("vcpus is fractional", """{ "vcpus": 1.5 }""", "$.vcpus: expected an integer 1..1024, got 1.5"),
        ("vcpus has an exponent and a fraction", """{ "vcpus": 1.5e0 }""", "$.vcpus: expected an integer 1..1024, got 1.5e0"),
        ("vcpus has an exponent beyond the range", """{ "vcpus": 1e5 }""", "$.vcpus: 100000 is out of range 1..1024"),
        ("vcpus has an exponent beyond 64 bits", """{ "vcpus": 1e300 }""", "$.vcpus: 1e300 is out of range 1..1024"),
        ("vcpus is negative", """{ "vcpus": -1 }""", "$.vcpus: -1 is out of range 1..1024"),
        ("vcpus overflows 64 bits", """{ "vcpus": 99999999999999999999 }""", "$.vcpus: 99999999999999999999 is out of range 1..1024"),
        ("vcpus is a boolean", """{ "vcpus": true }""", "$.vcpus: expected an integer 1..1024, got true"),
        ("memory is a number", """{ "memory": 64 }""", "$.memory: expected a size such as \"64M\", got 64"),
        ("memory is a bare byte count below the minimum", """{ "memory": "64" }""", "$.memory: 64 is out of range 2M..3G"),
        ("timeout is a number", """{ "timeout": 30 }""", "$.timeout: expected a duration such as \"30s\", got 30"),
        ("timeout is a day and a minute", """{ "timeout": "1441m" }""", "$.timeout: 1441m is out of range 1ms..1440m"),
        ("field in the wrong case", """{ "VCPUS": 2 }""", "$.VCPUS: unknown field \"VCPUS\"; did you mean \"vcpus\"? (allowed: $schema, vcpus, memory, timeout, hyperv, partitions)"),
        ("field with an odd name", """{ "a b": 2 }""", "$['a b']: unknown field \"a b\" (allowed: $schema, vcpus, memory, timeout, hyperv, partitions)"),
        ("unknown convention", """{ "hyperv": { "convention": "TLFS" } }""", "$.hyperv.convention: \"TLFS\" is not a known value; did you mean \"tlfs\"? (allowed: tlfs, rax)"),
        ("unknown port type", """{ "hyperv": { "ports": [ { "id": 1, "type": "doorbell", "targetVp": 0, "targetSint": 2 } ] } }""",
            "$.hyperv.ports[0].type: \"doorbell\" is not a known value (allowed: event, message)"),
        ("misspelt privilege", """{ "hyperv": { "privileges": ["SignalEvent"] } }""",
            "$.hyperv.privileges[0]: \"SignalEvent\" is not a known value; did you mean \"SignalEvents\"? (allowed: " +
            string.Join(", ", Enum.GetNames<PartitionPrivileges>().Skip(1)) + ")"),
        ("privilege listed twice", """{ "hyperv": { "privileges": ["SignalEvents", "PostMessages", "SignalEvents"] } }""",
            "$.hyperv.privileges[2]: \"SignalEvents\" is listed twice (also at $.hyperv.privileges[0])"),
        ("privilege that is a number", """{ "hyperv": { "privileges": [37] } }""",
            "$.hyperv.privileges[0]: expected a privilege name such as \"SignalEvents\", got 37"),
        ("null port", """{ "hyperv": { "ports": [ null ] } }""", "$.hyperv.ports[0]: expected an object, got null"),
        ("null required field", """{ "hyperv": { "ports": [ { "id": null, "type": "event", "targetVp": 0, "targetSint": 2 } ] } }""",
            "$.hyperv.ports[0].id: expected an integer 1..0xFFFFFF, got null"),
        ("port id above 24 bits", """{ "hyperv": { "ports": [ { "id": 16777216, "type": "event", "targetVp": 0, "targetSint": 2 } ] } }""",
            "$.hyperv.ports[0].id: 16777216 (0x1000000) is out of range 1..0xFFFFFF"),
        ("negative target VP", """{ "hyperv": { "ports": [ { "id": 1, "type": "event", "targetVp": -1, "targetSint": 2 } ] } }""",
            "$.hyperv.ports[0].targetVp: -1 is out of range 0..4294967295"),
        ("base flag number 2048", """{ "hyperv": { "ports": [ { "id": 1, "type": "event", "targetVp": 0, "targetSint": 2, "baseFlagNumber": 2048 } ] } }""",
            "$.hyperv.ports[0].baseFlagNumber: 2048 is out of range 0..2047"),
        ("message port with a base flag number", """{ "hyperv": { "ports": [ { "id": 1, "type": "message", "targetVp": 0, "targetSint": 2, "baseFlagNumber": 0 } ] } }""",
            "$.hyperv.ports[0].baseFlagNumber: not allowed on a message port (event ports only)"),
        ("connection without a port", """{ "hyperv": { "connections": [ { "id": 1 } ] } }""",
            "$.hyperv.connections[0]: required field \"port\" is missing (required: id, port)"),
        ("connection id 0", """{ "hyperv": { "connections": [ { "id": 0, "port": 1 } ] } }""",
            "$.hyperv.connections[0].id: 0 is out of range 1..0xFFFFFF"),
        ("single form connection to partition 2", $$"""{ "hyperv": { "ports": [ {{EventPort}} ], "connections": [ { "id": 7, "port": 1, "partition": 2 } ] } }""",
            "$.hyperv.connections[0].partition: 2 is out of range 1..1 (without \"partitions\" the scenario is one partition, id 1)"),
        ("trailing comma", """{ "vcpus": 1, }""", "$: invalid JSON: a trailing comma is not allowed in JSON (line 1, column 15)"),
        ("missing comma", "{ \"vcpus\": 1\n  \"memory\": \"64M\" }", "$: invalid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']' (line 2, column 3)"),
        ("unterminated string", """{ "memory": "64M""", "$.memory: invalid JSON: the file ends before the JSON is complete (line 1, column 17)"),
        ("text after the object", """{ } x""", "$: invalid JSON: 'x' is invalid after a single JSON value. Expected end of data (line 1, column 5)"),
        ("only whitespace", " \n\t ", "$: the file is empty (expected a JSON object)"),
        ("partitions with vcpus", """{ "vcpus": 2, "partitions": [ { "id": 1 } ] }""",
            "$.vcpus: not allowed together with \"partitions\" (give each partition its own \"vcpus\")"),
        ("partitions with memory", """{ "memory": "64M", "partitions": [ { "id": 1 } ] }""",
            "$.memory: not allowed together with \"partitions\" (give each partition its own \"memory\")"),
        ("no partitions", """{ "partitions": [] }""",
            "$.partitions: has 0 partitions; allowed: 1..16 (leave \"partitions\" out for the single-partition form)"),
        ("seventeen partitions", "{ \"partitions\": [" + string.Join(", ", Enumerable.Range(1, 17).Select(i => $"{{ \"id\": {Math.Min(i, 16)} }}")) + "] }",
            "$.partitions: has 17 partitions; allowed: 1..16 (leave \"partitions\" out for the single-partition form)"),
        ("partition without an id", """{ "partitions": [ { "vcpus": 1 } ] }""",
            "$.partitions[0]: required field \"id\" is missing (required: id)"),
        ("partition id past the count", """{ "partitions": [ { "id": 1 }, { "id": 3 } ] }""",
            "$.partitions[1].id: 3 is out of range 1..2 (partition ids are 1..N for N partitions)"),
        ("duplicate partition id", """{ "partitions": [ { "id": 2 }, { "id": 2 } ] }""",
            "$.partitions[1].id: duplicate partition id 2 (also at $.partitions[0].id)"),
        ("connection to a partition that does not exist", """{ "partitions": [ { "id": 1 }, { "id": 2, "hyperv": { "connections": [ { "id": 7, "port": 1, "partition": 3 } ] } } ] }""",
            "$.partitions[1].hyperv.connections[0].partition: 3 is out of range 1..2 (the scenario has 2 partitions)"),
        ("partition with an empty image", """{ "partitions": [ { "id": 1, "image": "" } ] }""",
            "$.partitions[0].image: expected a file path, got \"\""),
        ("partition with bad memory", """{ "partitions": [ { "id": 1, "memory": "lots" } ] }""",
            $"$.partitions[0].memory: \"lots\" is not a size (use {MemorySize.AllowedForms})"),
        ("partition with an unknown field", """{ "partitions": [ { "id": 1, "timeout": "1s" } ] }""",
            "$.partitions[0].timeout: unknown field \"timeout\" (allowed: id, vcpus, memory, image, hyperv)"),
        ("duplicate port id inside a partition", $$"""{ "partitions": [ { "id": 1, "hyperv": { "ports": [ {{EventPort}}, {{EventPort}} ] } } ] }""",
            "$.partitions[0].hyperv.ports[1].id: duplicate port id 1 (also at $.partitions[0].hyperv.ports[0].id)"),
        ("long string value", "{ \"memory\": \"" + new string('x', 100) + "\" }",
            "$.memory: \"" + new string('x', 37) + "...\" is not a size (use " + MemorySize.AllowedForms + ")"),
        ("string value with a line break", "{ \"memory\": \"64\\nM\" }",
            $"$.memory: \"64\\nM\" is not a size (use {MemorySize.AllowedForms})"),
        ("string value with C1 controls (NEL, CSI)", "{ \"memory\": \"64\u0085\u009BM\" }",
            $"$.memory: \"64\\u0085\\u009BM\" is not a size (use {MemorySize.AllowedForms})"),
        // An escaped lone surrogate made System.Text.Json throw InvalidOperationException from three places (found by
        // reading the code while setting up fuzz/; 8.4 M inputs of a scenario fuzz run had produced none).
        ("field name escaping half a surrogate pair", """{ "vcpus": 1, "\uD800": 1 }""",
            "$: invalid JSON: a string escapes half of a surrogate pair (\\uD800..\\uDFFF) without the other half (line 1, column 15)"),
        ("string value escaping half a surrogate pair", """{ "memory": "64\uDC00M" }""",
            "$.memory: invalid JSON: a string escapes half of a surrogate pair (\\uD800..\\uDFFF) without the other half (line 1, column 13)"),
        ("array item escaping a high surrogate twice", """{ "hyperv": { "privileges": ["SignalEvents", "\uD83D\uD83D"] } }""",
            "$.hyperv.privileges[1]: invalid JSON: a string escapes half of a surrogate pair (\\uD800..\\uDFFF) without the other half (line 1, column 46)"),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        s_cases.Select(c => new TestCaseData(c.Json, c.Message).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Cases))]
    public void IsRefusedWithItsOneLineMessage(string json, string message)
    {
        ScenarioException refusal = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse(json, "s.json"))!;
        Assert.That(refusal.Message, Is.EqualTo($"s.json: {message}"));
        OneLineMessage.AssertClean(refusal);
    }
}
