using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using MemoryContracts.Generators.Emitting;

namespace MemoryContracts.Build.Accessors;

/// <summary>The vocabularies written beside the accessors: the enums and companions, and the class of contract identifiers.</summary>
internal sealed record VocabularyContent(IReadOnlyList<VocabularyPlan> Vocabularies, SchemaVersionsPlan? SchemaVersions)
{
    /// <summary>No vocabulary: the generator declares them.</summary>
    public static VocabularyContent None { get; } = new([], null);

    /// <summary>Whether there is nothing to write.</summary>
    public bool IsEmpty => Vocabularies.Count == 0 && SchemaVersions is null;
}

/// <summary>
/// The vocabularies as the generator's C# compiles them: an internal enum per vocabulary (the term's index is its value),
/// and an internal static companion with the contract constant, the <c>All</c> and <c>WireNames</c> lists, the
/// <c>ToWireName</c> extension method, <c>TryParse</c> and <c>Parse</c>, with the same messages in the same exceptions.
/// </summary>
internal sealed partial class AccessorAssembly
{
    private void AddVocabularies(string project, VocabularyContent content)
    {
        if (content.IsEmpty)
        {
            return;
        }

        var references = new VocabularyReferences(this);
        _metadata.AddCustomAttribute(_assembly, references.InternalsVisibleTo, Blob(builder => AttributeValue(builder, project)));
        _metadata.AddCustomAttribute(_assembly, references.Extension, references.NoArguments);
        var nullable = AddNullableAttributes(references);
        foreach (var vocabulary in content.Vocabularies)
        {
            var enumType = AddEnum(vocabulary, references);
            AddCompanion(vocabulary, enumType, references, nullable);
        }

        if (content.SchemaVersions is { } schemaVersions)
        {
            var firstField = NextField;
            foreach (var constant in schemaVersions.Constants)
            {
                AddConstant(constant.Name, constant.Value);
            }

            var type = AddType(default, VocabularyPlan.Namespace, schemaVersions.ClassName, InternalStaticClass, _object, firstField, NextMethod);
            _metadata.AddCustomAttribute(type, references.GeneratedCode, references.GeneratedCodeValue);
        }
    }

    /// <summary><c>internal enum</c>: the <c>value__</c> field, then one literal per term with its index.</summary>
    private TypeDefinitionHandle AddEnum(VocabularyPlan vocabulary, VocabularyReferences references)
    {
        var enumType = NextType;
        var firstField = NextField;
        _metadata.AddFieldDefinition(FieldAttributes.Public | FieldAttributes.SpecialName | FieldAttributes.RTSpecialName, _metadata.GetOrAddString("value__"), Blob(builder => new BlobEncoder(builder).FieldSignature().Int32()));
        var termSignature = Blob(builder => new BlobEncoder(builder).FieldSignature().Type(enumType, isValueType: true));
        for (var index = 0; index < vocabulary.Terms.Count; index++)
        {
            AddConstant(vocabulary.Terms[index].Member, index, termSignature);
        }

        AddType(default, VocabularyPlan.Namespace, vocabulary.TypeName, TypeAttributes.NotPublic | TypeAttributes.Sealed, references.Enum, firstField, NextMethod);
        _metadata.AddCustomAttribute(enumType, references.GeneratedCode, references.GeneratedCodeValue);
        return enumType;
    }

    private void AddCompanion(VocabularyPlan vocabulary, TypeDefinitionHandle enumType, VocabularyReferences references, (MethodDefinitionHandle Context, MethodDefinitionHandle Nullable) nullable)
    {
        var companion = NextType;
        var firstField = NextField;
        AddConstant("SchemaVersion", vocabulary.SchemaVersion);
        var terms = ListSignaturesOf(term => term.Type(enumType, isValueType: true));
        var all = AddBackingField("All", terms);
        var wireNames = AddBackingField("WireNames", _strings);

        var firstMethod = NextMethod;
        var getAll = AddGetter("All", all, terms.Getter);
        var getWireNames = AddGetter("WireNames", wireNames, _strings.Getter);
        var toWireName = AddMethod("ToWireName", ToWireName(vocabulary, enumType, references), maxStack: 3, default,
            Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(1, returnType => returnType.Type().String(), parameters => parameters.AddParameter().Type().Type(enumType, isValueType: true))),
            ("value", ParameterAttributes.None));
        _metadata.AddCustomAttribute(toWireName, references.Extension, references.NoArguments);
        var wireName = NextParameter;
        var tryParse = AddMethod("TryParse", TryParse(vocabulary, references), maxStack: 2, default,
            Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(2, returnType => returnType.Type().Boolean(), parameters =>
            {
                parameters.AddParameter().Type().String();
                parameters.AddParameter().Type(isByRef: true).Type(enumType, isValueType: true);
            })),
            ("wireName", ParameterAttributes.None), ("value", ParameterAttributes.Out));
        var local = _metadata.AddStandaloneSignature(Blob(builder => new BlobEncoder(builder).LocalVariableSignature(1).AddVariable().Type().Type(enumType, isValueType: true)));
        AddMethod("Parse", Parse(vocabulary, tryParse, references), maxStack: 3, local,
            Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(1, returnType => returnType.Type().Type(enumType, isValueType: true), parameters => parameters.AddParameter().Type().String())),
            ("wireName", ParameterAttributes.None));
        AddStaticConstructor(FillVocabularyLists(vocabulary, enumType, all, wireNames));

        AddType(default, VocabularyPlan.Namespace, vocabulary.CompanionName, InternalStaticClass, _object, firstField, firstMethod);
        _metadata.AddCustomAttribute(companion, references.GeneratedCode, references.GeneratedCodeValue);
        _metadata.AddCustomAttribute(companion, references.Extension, references.NoArguments);
        _metadata.AddCustomAttribute(companion, nullable.Context, NullableFlag(NotAnnotated));
        _metadata.AddCustomAttribute(wireName, nullable.Nullable, NullableFlag(Annotated));
        _metadata.AddPropertyMap(companion, NextProperty);
        AddProperty("All", terms.Property, getAll);
        AddProperty("WireNames", _strings.Property, getWireNames);
    }

    /// <summary><c>switch (value) { case Term: return "wire"; ... default: throw new ArgumentOutOfRangeException(nameof(value), value, message); }</c></summary>
    private InstructionEncoder ToWireName(VocabularyPlan vocabulary, TypeDefinitionHandle enumType, VocabularyReferences references)
    {
        var body = new InstructionEncoder(new BlobBuilder(), new ControlFlowBuilder());
        var cases = vocabulary.Terms.Select(_ => body.DefineLabel()).ToArray();
        var outside = body.DefineLabel();
        body.LoadArgument(0);
        var jump = body.Switch(cases.Length);
        foreach (var label in cases)
        {
            jump.Branch(label);
        }

        body.Branch(ILOpCode.Br, outside);
        for (var index = 0; index < cases.Length; index++)
        {
            body.MarkLabel(cases[index]);
            body.LoadString(_metadata.GetOrAddUserString(vocabulary.Terms[index].WireName));
            body.OpCode(ILOpCode.Ret);
        }

        body.MarkLabel(outside);
        body.LoadString(_metadata.GetOrAddUserString("value"));
        body.LoadArgument(0);
        body.OpCode(ILOpCode.Box);
        body.Token(enumType);
        body.LoadString(_metadata.GetOrAddUserString(vocabulary.OutOfRangeMessage));
        body.OpCode(ILOpCode.Newobj);
        body.Token(references.ArgumentOutOfRange);
        body.OpCode(ILOpCode.Throw);
        return body;
    }

    /// <summary>Each wire name compared with <c>string ==</c> (ordinal, false for null) in order; none: <c>value = default; return false;</c>.</summary>
    private InstructionEncoder TryParse(VocabularyPlan vocabulary, VocabularyReferences references)
    {
        var body = new InstructionEncoder(new BlobBuilder(), new ControlFlowBuilder());
        for (var index = 0; index < vocabulary.Terms.Count; index++)
        {
            var next = body.DefineLabel();
            body.LoadArgument(0);
            body.LoadString(_metadata.GetOrAddUserString(vocabulary.Terms[index].WireName));
            body.Call(references.StringEquals);
            body.Branch(ILOpCode.Brfalse, next);
            StoreResult(body, value: index, found: true);
            body.MarkLabel(next);
        }

        StoreResult(body, value: 0, found: false);
        return body;
    }

    private static void StoreResult(InstructionEncoder body, int value, bool found)
    {
        body.LoadArgument(1);
        body.LoadConstantI4(value);
        body.OpCode(ILOpCode.Stind_i4);
        body.LoadConstantI4(found ? 1 : 0);
        body.OpCode(ILOpCode.Ret);
    }

    /// <summary><c>TryParse(wireName, out var value) ? value : throw new FormatException("'" + wireName + message)</c>.</summary>
    private InstructionEncoder Parse(VocabularyPlan vocabulary, MethodDefinitionHandle tryParse, VocabularyReferences references)
    {
        var body = new InstructionEncoder(new BlobBuilder(), new ControlFlowBuilder());
        var notATerm = body.DefineLabel();
        body.LoadArgument(0);
        body.LoadLocalAddress(0);
        body.Call(tryParse);
        body.Branch(ILOpCode.Brfalse, notATerm);
        body.LoadLocal(0);
        body.OpCode(ILOpCode.Ret);
        body.MarkLabel(notATerm);
        body.LoadString(_metadata.GetOrAddUserString("'"));
        body.LoadArgument(0);
        body.LoadString(_metadata.GetOrAddUserString(vocabulary.NotATermMessage));
        body.Call(references.Concat);
        body.OpCode(ILOpCode.Newobj);
        body.Token(references.FormatException);
        body.OpCode(ILOpCode.Throw);
        return body;
    }

    /// <summary>The static constructor: <c>All</c> a new array of the terms, <c>WireNames</c> a new <c>string[]</c> of their wire names.</summary>
    private InstructionEncoder FillVocabularyLists(VocabularyPlan vocabulary, TypeDefinitionHandle enumType, FieldDefinitionHandle all, FieldDefinitionHandle wireNames)
    {
        var body = new InstructionEncoder(new BlobBuilder());
        StoreNewArray(body, enumType, vocabulary.Terms.Count, index => body.LoadConstantI4(index), ILOpCode.Stelem_i4, all);
        StoreNewArray(body, _string, vocabulary.Terms.Count, index => body.LoadString(_metadata.GetOrAddUserString(vocabulary.Terms[index].WireName)), ILOpCode.Stelem_ref, wireNames);
        body.OpCode(ILOpCode.Ret);
        return body;
    }

    private MethodDefinitionHandle AddMethod(string name, InstructionEncoder body, int maxStack, StandaloneSignatureHandle locals, BlobHandle signature, params (string Name, ParameterAttributes Attributes)[] parameters)
    {
        var firstParameter = NextParameter;
        for (var index = 0; index < parameters.Length; index++)
        {
            _metadata.AddParameter(parameters[index].Attributes, _metadata.GetOrAddString(parameters[index].Name), index + 1);
        }

        return _metadata.AddMethodDefinition(
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
            MethodImplAttributes.IL,
            _metadata.GetOrAddString(name),
            signature,
            _bodies.AddMethodBody(body, maxStack, locals, locals.IsNil ? MethodBodyAttributes.None : MethodBodyAttributes.InitLocals),
            firstParameter);
    }

    /// <summary>A custom attribute's value: its constructor's arguments (strings or bytes), no named arguments.</summary>
    private static void AttributeValue(BlobBuilder builder, params object[] arguments)
    {
        new BlobEncoder(builder).CustomAttributeSignature(out var fixedArguments, out var namedArguments);
        foreach (var argument in arguments)
        {
            fixedArguments.AddArgument().Scalar().Constant(argument);
        }

        namedArguments.Count(0);
    }

    /// <summary>What C# writes for an <c>internal static class</c>.</summary>
    private const TypeAttributes InternalStaticClass = TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class;

    private ParameterHandle NextParameter => MetadataTokens.ParameterHandle(_metadata.GetRowCount(TableIndex.Param) + 1);

    /// <summary>The types and members of <c>netstandard</c> the vocabularies use, referenced once per assembly.</summary>
    private sealed class VocabularyReferences
    {
        public VocabularyReferences(AccessorAssembly assembly)
        {
            var metadata = assembly._metadata;
            EntityHandle Constructor(EntityHandle type, Action<ParametersEncoder> parameters, int count) =>
                metadata.AddMemberReference(type, metadata.GetOrAddString(".ctor"), assembly.Blob(builder => new BlobEncoder(builder).MethodSignature(SignatureCallingConvention.Default, 0, isInstanceMethod: true).Parameters(count, returnType => returnType.Void(), parameters)));

            Enum = assembly.SystemType("System", "Enum");
            Byte = assembly.SystemType("System", "Byte");
            Attribute = assembly.SystemType("System", "Attribute");
            AttributeConstructor = Constructor(Attribute, _ => { }, 0);
            CompilerGenerated = Constructor(assembly.SystemType("System.Runtime.CompilerServices", "CompilerGeneratedAttribute"), _ => { }, 0);
            GeneratedCode = Constructor(assembly.SystemType("System.CodeDom.Compiler", "GeneratedCodeAttribute"), parameters => { parameters.AddParameter().Type().String(); parameters.AddParameter().Type().String(); }, 2);
            GeneratedCodeValue = assembly.Blob(builder => AttributeValue(builder, VocabularyPlan.GeneratedCodeTool, VocabularyPlan.GeneratedCodeVersion));
            Extension = Constructor(assembly.SystemType("System.Runtime.CompilerServices", "ExtensionAttribute"), _ => { }, 0);
            NoArguments = assembly.Blob(builder => AttributeValue(builder));
            InternalsVisibleTo = Constructor(assembly.SystemType("System.Runtime.CompilerServices", "InternalsVisibleToAttribute"), parameters => parameters.AddParameter().Type().String(), 1);
            ArgumentOutOfRange = Constructor(assembly.SystemType("System", "ArgumentOutOfRangeException"), parameters =>
            {
                parameters.AddParameter().Type().String();
                parameters.AddParameter().Type().Object();
                parameters.AddParameter().Type().String();
            }, 3);
            FormatException = Constructor(assembly.SystemType("System", "FormatException"), parameters => parameters.AddParameter().Type().String(), 1);
            StringEquals = metadata.AddMemberReference(assembly._string, metadata.GetOrAddString("op_Equality"), assembly.Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(2, returnType => returnType.Type().Boolean(), parameters =>
            {
                parameters.AddParameter().Type().String();
                parameters.AddParameter().Type().String();
            })));
            Concat = metadata.AddMemberReference(assembly._string, metadata.GetOrAddString("Concat"), assembly.Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(3, returnType => returnType.Type().String(), parameters =>
            {
                parameters.AddParameter().Type().String();
                parameters.AddParameter().Type().String();
                parameters.AddParameter().Type().String();
            })));
        }

        public EntityHandle Enum { get; }

        public EntityHandle Byte { get; }

        public EntityHandle Attribute { get; }

        public EntityHandle AttributeConstructor { get; }

        public EntityHandle CompilerGenerated { get; }

        public EntityHandle GeneratedCode { get; }

        public BlobHandle GeneratedCodeValue { get; }

        public EntityHandle Extension { get; }

        public BlobHandle NoArguments { get; }

        public EntityHandle InternalsVisibleTo { get; }

        public EntityHandle ArgumentOutOfRange { get; }

        public EntityHandle FormatException { get; }

        public EntityHandle StringEquals { get; }

        public EntityHandle Concat { get; }
    }
}
