using Google.Protobuf;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Builds an ONNX model of float32 outputs (and inputs of any element type) node by node, checks as it goes that every
/// tensor a node reads already exists, and serializes the model to the ONNX protobuf format.
/// </summary>
/// <remarks>
/// <para>
/// Nodes must be added in an order in which each reads only graph inputs, initializers and outputs
/// of earlier nodes: ONNX requires the node list to be topologically sorted. An input or output
/// dimension of -1 becomes the symbolic dimension <c>batch</c>, so one model scores any number of rows.
/// </para>
/// <para>
/// The bytes are an <c>onnx.ModelProto</c> of IR version 7 (<c>onnx.proto</c> beside this file; its C# classes are
/// generated at build time). Initializers are not listed as graph inputs, which IR version 4 and later allow and which
/// keeps them constant for ONNX Runtime's optimizer.
/// </para>
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    // IR version 7 came with opset 13 (ONNX 1.8); it is the oldest that allows the default opset here,
    // and old enough for ONNX Runtime 1.31, ML.NET's OnnxTransformer and the ONNX 1.12 checker of the tests.
    private const long IrVersion = 7;
    private const long SymbolicDimension = -1;
    private const string BatchDimensionName = "batch";

    private readonly string graphName;
    private readonly List<(string Name, TensorProto.Types.DataType Type, long[] Dims)> inputs = [];
    private readonly List<(string Name, long[] Dims)> outputs = [];
    private readonly List<TensorProto> initializers = [];
    private readonly List<NodeProto> nodes = [];
    private readonly List<(string Key, string Value)> metadata = [];

    // Names of the tensors that exist so far (inputs, initializers, node outputs), and names handed
    // out by UniqueName that no node has written yet; UniqueName avoids both.
    private readonly HashSet<string> tensorNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> reservedNames = new(StringComparer.Ordinal);
    private int nextNameNumber;
    private string initializerPrefix = "";

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph name written into the model, for example the network's name.</param>
    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        this.graphName = graphName;
    }

    /// <summary>Declares a float32 graph input.</summary>
    /// <param name="name">The tensor name; with ML.NET's OnnxTransformer, the input column name.</param>
    /// <param name="dims">The shape; -1 marks the symbolic batch dimension <c>batch</c>.</param>
    /// <exception cref="ArgumentException">The name is taken, or a dimension is below -1.</exception>
    public void AddInput(string name, params long[] dims) => AddInput(name, TensorProto.Types.DataType.Float, dims);

    /// <summary>Declares a graph input of another element type, such as the bytes of an image file.</summary>
    /// <param name="name">The tensor name; with ML.NET's OnnxTransformer, the input column name.</param>
    /// <param name="elementType">The element type, for example <c>Uint8</c>.</param>
    /// <param name="dims">The shape; -1 marks a symbolic dimension.</param>
    /// <exception cref="ArgumentException">The name is taken, or a dimension is below -1.</exception>
    public void AddInput(string name, TensorProto.Types.DataType elementType, params long[] dims)
    {
        ValidateShape(name, dims);
        Define(name, nameof(name));
        this.inputs.Add((name, elementType, (long[])dims.Clone()));
    }

    /// <summary>Declares a float32 graph output; a node, input or initializer must produce it before <see
    /// cref="ToModelBytes"/>.</summary>
    /// <param name="name">The tensor name; with ML.NET's OnnxTransformer, the output column name.</param>
    /// <param name="dims">The shape; -1 marks the symbolic batch dimension <c>batch</c>.</param>
    /// <exception cref="ArgumentException">The output is already declared, or a dimension is below -1.</exception>
    public void AddOutput(string name, params long[] dims)
    {
        ValidateShape(name, dims);
        if (this.outputs.Exists(o => o.Name == name))
            throw new ArgumentException($"Graph '{this.graphName}' already has output '{name}'.", nameof(name));
        this.outputs.Add((name, (long[])dims.Clone()));
    }

    /// <summary>Adds a constant float32 tensor, such as a weight or a scale. The array is kept, not copied.</summary>
    /// <param name="name">The tensor name, unique in the graph.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref
    /// name="dims"/>.</param>
    /// <param name="dims">The shape; none for a scalar.</param>
    /// <returns><paramref name="name"/>, to pass on as a node input.</returns>
    /// <exception cref="ArgumentException">The name is taken, or the element count does not match the
    /// shape.</exception>
    public string AddInitializer(string name, float[] data, params long[] dims) =>
        AddInitializer(OnnxTensor.Float(initializerPrefix + name, data, dims));

    /// <summary>Adds a constant int64 tensor, such as the target shape of a <c>Reshape</c> or the indices of a
    /// <c>Gather</c>. The array is kept, not copied.</summary>
    /// <param name="name">The tensor name, unique in the graph.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref
    /// name="dims"/>.</param>
    /// <param name="dims">The shape; none for a scalar.</param>
    /// <returns><paramref name="name"/>, to pass on as a node input.</returns>
    /// <exception cref="ArgumentException">The name is taken, or the element count does not match the
    /// shape.</exception>
    public string AddInitializer(string name, long[] data, params long[] dims) =>
        AddInitializer(OnnxTensor.Int64(initializerPrefix + name, data, dims));

    /// <summary>Until the returned object is disposed, prefixes every initializer name with <c>{prefix}/</c>, so the
    /// same network code can write several networks (an ensemble of specialists) into one graph without name
    /// clashes.</summary>
    /// <param name="prefix">The prefix, for example <c>specialist_eyes</c>.</param>
    /// <exception cref="InvalidOperationException">A scope is already open; scopes do not nest.</exception>
    public IDisposable BeginInitializerScope(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (initializerPrefix.Length > 0)
        {
            throw new InvalidOperationException(
                $"Initializer scope '{initializerPrefix}' is still open; scopes do not nest."
            );
        }

        initializerPrefix = prefix + "/";
        return new InitializerScope(this);
    }

    /// <summary>Appends a node of the default ONNX domain, named <c>{opType}_{index}</c>.</summary>
    /// <param name="opType">The operator, for example <c>Conv</c>.</param>
    /// <param name="inputs">Tensors read, in the operator's input order; each must be a graph input, an initializer
    /// or an earlier node's output. An empty name skips an optional input.</param>
    /// <param name="outputs">New tensors written, in the operator's output order; the first must be named,
    /// an empty name skips a later optional output.</param>
    /// <param name="attributes">The operator's attributes.</param>
    /// <returns>The first output's name, to pass on as the next node's input.</returns>
    /// <exception cref="ArgumentException">An input does not exist yet, an output name is taken, or an attribute
    /// repeats.</exception>
    public string AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        string nodeName = $"{opType}_{this.nodes.Count}";
        foreach (string input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            if (input.Length > 0 && !tensorNames.Contains(input))
            {
                throw new ArgumentException(
                    $"Node '{nodeName}' ({opType}) reads '{input}', which is not a graph input, an initializer or an "
                        + $"output of an earlier node.",
                    nameof(inputs)
                );
            }
        }
        if (outputs.Length == 0 || string.IsNullOrEmpty(outputs[0]))
        {
            throw new ArgumentException(
                $"Node '{nodeName}' ({opType}) needs a name for its first output.",
                nameof(outputs)
            );
        }

        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (string output in outputs)
        {
            ArgumentNullException.ThrowIfNull(output, nameof(outputs));
            if (output.Length > 0 && (tensorNames.Contains(output) || !written.Add(output)))
            {
                throw new ArgumentException(
                    $"Node '{nodeName}' ({opType}) writes '{output}', but a tensor of that name already exists.",
                    nameof(outputs)
                );
            }
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
            if (!names.Add(attribute.Name))
            {
                throw new ArgumentException(
                    $"Node '{nodeName}' ({opType}) has attribute '{attribute.Name}' twice.",
                    nameof(attributes)
                );
            }
        }
        var node = new NodeProto { Name = nodeName, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(a => a.Proto));
        this.nodes.Add(node);
        foreach (string output in written)
            tensorNames.Add(output);
        return outputs[0];
    }

    /// <summary>Appends a node with one output under a new unique name: graphs written as expressions
    /// (<c>var sum = graph.Apply("Add", a, b)</c>).</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">Tensors read, in the operator's input order.</param>
    /// <returns>The output's name.</returns>
    public string Apply(string opType, params string[] inputs) => Apply(opType, inputs, []);

    /// <summary><see cref="Apply(string, string[])"/> with attributes.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">Tensors read, in the operator's input order.</param>
    /// <param name="attributes">The operator's attributes.</param>
    /// <returns>The output's name.</returns>
    public string Apply(string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        return AddNode(opType, inputs, [UniqueName(opType.ToLowerInvariant())], attributes);
    }

    /// <summary>Adds a float32 constant under a new unique name.</summary>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="dims">The shape; none for a scalar.</param>
    /// <returns>The constant's name.</returns>
    public string Constant(float[] values, params long[] dims) => AddInitializer(UniqueName("constant"), values, dims);

    /// <summary>Adds an int64 constant under a new unique name.</summary>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="dims">The shape; none for a scalar.</param>
    /// <returns>The constant's name.</returns>
    public string Constant(long[] values, params long[] dims) => AddInitializer(UniqueName("constant"), values, dims);

    /// <summary>Copies the nodes and initializers of another model's graph into this one, under <paramref
    /// name="scope"/>: every node, initializer and intermediate tensor name <c>n</c> becomes <c>{scope}/n</c>, the
    /// graph's inputs read the tensors <paramref name="inputs"/> names, and its outputs are written as <paramref
    /// name="outputs"/> names.
    /// <see cref="OnnxModelReader.ExtractScope"/> takes such a graph out again.</summary>
    /// <param name="model">The model bytes (same operator set as this graph, no subgraph attributes).</param>
    /// <param name="scope">The prefix, for example <c>tta</c>.</param>
    /// <param name="inputs">For each input of the model, the tensor of this graph that it reads.</param>
    /// <param name="outputs">For each output of the model, the name of the tensor it writes in this graph.</param>
    /// <exception cref="ArgumentException">An input or output is not mapped, a mapped input does not exist, or a name
    /// is taken.</exception>
    public void AddModel(
        ReadOnlyMemory<byte> model,
        string scope,
        IReadOnlyDictionary<string, string> inputs,
        IReadOnlyDictionary<string, string> outputs
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        var graph = OnnxModelReader.Parse(model).Graph
            ?? throw new ArgumentException("The model has no graph.", nameof(model));
        var rename = new Dictionary<string, string>(StringComparer.Ordinal) { [string.Empty] = string.Empty };
        foreach (var input in graph.Input.Where(i => !graph.Initializer.Any(t => t.Name == i.Name)))
        {
            if (!inputs.TryGetValue(input.Name, out string? outer) || !tensorNames.Contains(outer))
            {
                throw new ArgumentException(
                    $"Input '{input.Name}' of the model is not mapped to a tensor of graph '{this.graphName}'.",
                    nameof(inputs)
                );
            }

            rename[input.Name] = outer;
        }
        foreach (var output in graph.Output)
        {
            if (!outputs.TryGetValue(output.Name, out string? outer))
                throw new ArgumentException($"Output '{output.Name}' of the model is not mapped.", nameof(outputs));
            rename[output.Name] = outer;
        }
        string Renamed(string name) => rename.TryGetValue(name, out string? outer) ? outer : $"{scope}/{name}";
        // Initializers no node reads (the converted detector has two) are left out: ONNX Runtime warns about each.
        var read = graph
            .Node.SelectMany(n => n.Input)
            .Concat(graph.Output.Select(o => o.Name))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer.Where(i => read.Contains(i.Name)))
        {
            var copy = initializer.Clone();
            copy.Name = Renamed(initializer.Name);
            AddInitializer(copy);
        }
        foreach (var node in graph.Node)
        {
            var copy = node.Clone();
            // Node names are optional in ONNX (the converted detector has none), but must be unique once present.
            copy.Name = node.Name.Length > 0 ? $"{scope}/{node.Name}" : $"{scope}/{node.OpType}_{this.nodes.Count}";
            copy.Input.Clear();
            copy.Input.AddRange(node.Input.Select(Renamed));
            copy.Output.Clear();
            copy.Output.AddRange(node.Output.Select(Renamed));
            foreach (string? output in copy.Output.Where(o => o.Length > 0))
                Define(output, nameof(model));
            this.nodes.Add(copy);
        }
    }

    /// <summary>Returns a tensor name that no tensor has and no earlier call returned, for example
    /// <c>conv1_out_3</c>.</summary>
    /// <param name="prefix">The start of the name, saying what the tensor is.</param>
    public string UniqueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string name;
        do
        {
            name = $"{prefix}_{nextNameNumber++}";
        } while (tensorNames.Contains(name) || !reservedNames.Add(name));
        return name;
    }

    /// <summary>Adds a key-value pair to the model's metadata (<c>ModelProto.metadata_props</c>),
    /// which ONNX Runtime exposes as custom metadata.</summary>
    /// <param name="key">The key, unique in the model.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The key is already present.</exception>
    public void AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (this.metadata.Exists(m => m.Key == key))
            throw new ArgumentException($"Model metadata already has key '{key}'.", nameof(key));
        this.metadata.Add((key, value));
    }

    /// <summary>Serializes the model: an <c>onnx.ModelProto</c> of IR version 7 importing the default domain.</summary>
    /// <param name="opsetVersion">The version of the default (<c>ai.onnx</c>) operator set the nodes follow.</param>
    /// <param name="producerName">The producing tool's name, written as <c>producer_name</c>.</param>
    /// <param name="producerVersion">The producing tool's version, written as <c>producer_version</c>.</param>
    /// <returns>The model file's bytes, as ONNX Runtime and ML.NET's OnnxTransformer load them.</returns>
    /// <exception cref="InvalidOperationException">The graph has no output, or no tensor of a declared output's name
    /// exists.</exception>
    public byte[] ToModelBytes(
        long opsetVersion = 13,
        string producerName = "Keypoints.MLNet",
        string producerVersion = "1.0"
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(opsetVersion);
        ArgumentNullException.ThrowIfNull(producerName);
        ArgumentNullException.ThrowIfNull(producerVersion);
        if (this.outputs.Count == 0)
            throw new InvalidOperationException($"Graph '{this.graphName}' has no output; declare one with AddOutput.");
        foreach (var (name, _) in this.outputs)
        {
            if (!tensorNames.Contains(name))
            {
                throw new InvalidOperationException(
                    $"Graph '{this.graphName}' declares output '{name}', but no node, input or initializer produces a "
                        + $"tensor of that name."
                );
            }
        }

        var graph = new GraphProto { Name = this.graphName };
        graph.Node.AddRange(this.nodes);
        graph.Initializer.AddRange(this.initializers);
        graph.Input.AddRange(this.inputs.Select(i => ValueInfo(i.Name, i.Type, i.Dims)));
        graph.Output.AddRange(this.outputs.Select(o => FloatValueInfo(o.Name, o.Dims)));
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opsetVersion });
        model.MetadataProps.AddRange(
            this.metadata.Select(m => new StringStringEntryProto { Key = m.Key, Value = m.Value })
        );
        return model.ToByteArray();
    }

    private string AddInitializer(TensorProto tensor)
    {
        if (tensor.Name.Length == 0)
            throw new ArgumentException($"Graph '{this.graphName}' got an initializer without a name.", "name");
        Define(tensor.Name, "name");
        this.initializers.Add(tensor);
        return tensor.Name;
    }

    private void Define(string name, string paramName)
    {
        if (!tensorNames.Add(name))
            throw new ArgumentException($"Graph '{this.graphName}' already has a tensor named '{name}'.", paramName);
    }

    private static void ValidateShape(string name, long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dims);
        if (Array.Exists(dims, d => d < SymbolicDimension))
        {
            throw new ArgumentException(
                $"Tensor '{name}' has shape [{string.Join(", ", dims)}]; a dimension is a size of zero or more, or -1 "
                    + $"for the batch.",
                nameof(dims)
            );
        }
    }

    /// <summary>A float32 tensor declaration; -1 is the symbolic batch dimension.</summary>
    internal static ValueInfoProto FloatValueInfo(string name, long[] dims) =>
        ValueInfo(name, TensorProto.Types.DataType.Float, dims);

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType elementType, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(
            dims.Select(d =>
                d == SymbolicDimension
                    ? new TensorShapeProto.Types.Dimension { DimParam = BatchDimensionName }
                    : new TensorShapeProto.Types.Dimension { DimValue = d }
            )
        );
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape },
            },
        };
    }

    private sealed class InitializerScope(OnnxGraphBuilder builder) : IDisposable
    {
        public void Dispose() => builder.initializerPrefix = "";
    }
}
