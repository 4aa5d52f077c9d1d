namespace Keypoints.MLNet.Onnx;

/// <summary>
/// One operator application in an ONNX graph: the operator of the default (<c>ai.onnx</c>) domain,
/// the tensors it reads and writes by name, and its attributes.
/// </summary>
/// <remarks>
/// Written as <c>onnx.NodeProto</c>: <c>input</c> = 1, <c>output</c> = 2, <c>name</c> = 3,
/// <c>op_type</c> = 4, <c>attribute</c> = 5. The <c>domain</c> field (7) is left out, which means
/// the default domain. An empty input or output name marks an optional one that is absent.
/// </remarks>
internal sealed class OnnxNode
{
    private const int InputField = 1;
    private const int OutputField = 2;
    private const int NameField = 3;
    private const int OpTypeField = 4;
    private const int AttributeField = 5;

    private readonly string _name;
    private readonly string _opType;
    private readonly string[] _inputs;
    private readonly string[] _outputs;
    private readonly OnnxAttribute[] _attributes;

    /// <summary>Creates a node; the graph builder checks the tensor names.</summary>
    /// <param name="name">The node name, unique in the graph.</param>
    /// <param name="opType">The operator, for example <c>Conv</c>.</param>
    /// <param name="inputs">Names of the tensors read, in the operator's input order.</param>
    /// <param name="outputs">Names of the tensors written, in the operator's output order.</param>
    /// <param name="attributes">The attributes, each name at most once.</param>
    /// <exception cref="ArgumentException">Two attributes have the same name.</exception>
    public OnnxNode(string name, string opType, string[] inputs, string[] outputs, OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        var duplicate = attributes.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Node '{name}' ({opType}) has attribute '{duplicate.Key}' more than once.", nameof(attributes));
        _name = name;
        _opType = opType;
        _inputs = (string[])inputs.Clone();
        _outputs = (string[])outputs.Clone();
        _attributes = (OnnxAttribute[])attributes.Clone();
    }

    /// <summary>Writes the node as the body of an <c>onnx.NodeProto</c> message.</summary>
    public void WriteTo(ProtobufWriter writer)
    {
        foreach (var input in _inputs)
            writer.WriteString(InputField, input);
        foreach (var output in _outputs)
            writer.WriteString(OutputField, output);
        writer.WriteString(NameField, _name);
        writer.WriteString(OpTypeField, _opType);
        foreach (var attribute in _attributes)
            writer.WriteMessage(AttributeField, attribute.WriteTo);
    }
}
