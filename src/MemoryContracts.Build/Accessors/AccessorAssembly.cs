using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using MemoryContracts.Generators.Emitting;

namespace MemoryContracts.Build.Accessors;

/// <summary>
/// Writes the typed accessors of a project's fixtures as an assembly of their own (<c>MemoryContractsAccessors=Assembly</c>):
/// the members the generator writes as C# (<see cref="AccessorPlan"/>), as metadata the compiler binds without compiling
/// anything. Ids stay <c>const</c> (literal fields), so they work in <c>case</c> labels and attributes and a renamed id
/// breaks compilation; the <c>ByKind</c> lists are read-only static properties set by a static constructor. Fixture
/// types are public (the project reaches them across the assembly boundary); the vocabularies (<see cref="VocabularyPlan"/>)
/// are internal, as the generator declares them, and the assembly lets the project see them (<c>InternalsVisibleTo</c>).
/// The core library is <c>netstandard</c> 2.0 (every .NET Framework 4.6.1+ and .NET project can bind it), and the
/// output depends only on the plans: the same fixtures and schemas give the same bytes.
/// </summary>
internal sealed partial class AccessorAssembly
{
    private static readonly byte[] NetStandardPublicKeyToken = [0xCC, 0x7B, 0x13, 0xFF, 0xCD, 0x2D, 0xDD, 0x51];

    private readonly MetadataBuilder _metadata = new();
    private readonly AssemblyDefinitionHandle _assembly;
    private readonly AssemblyReferenceHandle _netStandard;
    private readonly EntityHandle _readOnlyList;
    private readonly BlobBuilder _il = new();
    private readonly MethodBodyStreamEncoder _bodies;
    private readonly EntityHandle _object;
    private readonly EntityHandle _string;
    private readonly BlobHandle _constantSignature;
    private readonly ListSignatures _strings;
    private readonly BlobHandle _constructorSignature;

    private AccessorAssembly(string assemblyName, out ReservedBlob<GuidHandle> mvid)
    {
        _bodies = new MethodBodyStreamEncoder(_il);
        mvid = _metadata.ReserveGuid();
        _metadata.AddModule(0, _metadata.GetOrAddString(assemblyName + ".dll"), mvid.Handle, default, default);
        _assembly = _metadata.AddAssembly(_metadata.GetOrAddString(assemblyName), new Version(1, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.Sha1);
        _netStandard = _metadata.AddAssemblyReference(_metadata.GetOrAddString("netstandard"), new Version(2, 0, 0, 0), default, _metadata.GetOrAddBlob(NetStandardPublicKeyToken), default, default);
        _object = SystemType("System", "Object");
        _string = SystemType("System", "String");
        _readOnlyList = SystemType("System.Collections.Generic", "IReadOnlyList`1");

        _constantSignature = Blob(builder => new BlobEncoder(builder).FieldSignature().String());
        _strings = ListSignaturesOf(element => element.String());
        _constructorSignature = Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(0, returnType => returnType.Void(), _ => { }));
    }

    /// <summary>
    /// The assembly <paramref name="assemblyName"/> with <c>MemoryFixtures</c> in <paramref name="rootNamespace"/> holding
    /// the fixtures of <paramref name="plans"/>, in their order, and the vocabularies of <paramref name="vocabularies"/>,
    /// which <paramref name="project"/> (the project's assembly) may see.
    /// </summary>
    public static byte[] Write(string assemblyName, string project, string? rootNamespace, IReadOnlyList<AccessorPlan> plans, VocabularyContent vocabularies)
    {
        var writer = new AccessorAssembly(assemblyName, out var mvid);
        writer.AddTypes(rootNamespace, plans);
        writer.AddVocabularies(project, vocabularies);
        var image = new BlobBuilder();
        var contentId = new ManagedPEBuilder(
            PEHeaderBuilder.CreateLibraryHeader(),
            new MetadataRootBuilder(writer._metadata),
            writer._il,
            flags: CorFlags.ILOnly,
            deterministicIdProvider: ContentId).Serialize(image);
        new BlobWriter(mvid.Content).WriteGuid(contentId.Guid);
        return image.ToArray();
    }

    private static BlobContentId ContentId(IEnumerable<Blob> content)
    {
        using var sha256 = SHA256.Create();
        foreach (var blob in content)
        {
            var segment = blob.GetBytes();
            sha256.TransformBlock(segment.Array!, segment.Offset, segment.Count, null, 0);
        }

        sha256.TransformFinalBlock([], 0, 0);
        return BlobContentId.FromHash(sha256.Hash!);
    }

    /// <summary>The signatures of a read-only static <c>IReadOnlyList&lt;T&gt;</c> property, <paramref name="element"/> encoding <c>T</c>.</summary>
    private ListSignatures ListSignaturesOf(Action<SignatureTypeEncoder> element)
    {
        void ListOf(SignatureTypeEncoder type) => element(type.GenericInstantiation(_readOnlyList, 1, isValueType: false).AddArgument());
        return new ListSignatures(
            Blob(builder => ListOf(new BlobEncoder(builder).FieldSignature())),
            Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(0, returnType => ListOf(returnType.Type()), _ => { })),
            Blob(builder => new BlobEncoder(builder).PropertySignature().Parameters(0, returnType => ListOf(returnType.Type()), _ => { })));
    }

    /// <summary>The private static read-only field behind a list property, named as C# names it.</summary>
    private FieldDefinitionHandle AddBackingField(string property, ListSignatures signatures) =>
        _metadata.AddFieldDefinition(FieldAttributes.Private | FieldAttributes.Static | FieldAttributes.InitOnly, _metadata.GetOrAddString("<" + property + ">k__BackingField"), signatures.Field);

    private BlobHandle Blob(Action<BlobBuilder> encode)
    {
        var builder = new BlobBuilder();
        encode(builder);
        return _metadata.GetOrAddBlob(builder);
    }

    /// <summary>
    /// Adds <c>&lt;Module&gt;</c> and the types depth first, each before the types nested in it, each type's fields and
    /// methods right before it, so every type's field and method lists start where its own members do.
    /// </summary>
    private void AddTypes(string? rootNamespace, IReadOnlyList<AccessorPlan> plans)
    {
        AddType(default, string.Empty, "<Module>", TypeAttributes.NotPublic, default, NextField, NextMethod);
        var container = AddStaticClass(default, rootNamespace ?? string.Empty, "MemoryFixtures", () => { });
        foreach (var plan in plans)
        {
            var fixture = AddStaticClass(container, string.Empty, plan.ClassName, () =>
            {
                AddConstant("Id", plan.Id);
                AddConstant("SchemaVersion", plan.SchemaVersion);
                AddConstant("Path", plan.Path);
            });
            foreach (var elements in plan.Elements)
            {
                var group = AddStaticClass(fixture, string.Empty, elements.ClassName, () =>
                {
                    foreach (var member in elements.Members)
                    {
                        AddConstant(member.Name, member.Element.Id);
                    }
                });
                AddByKind(group, elements);
            }
        }
    }

    private void AddByKind(TypeDefinitionHandle enclosing, ElementAccessors elements)
    {
        var firstField = NextField;
        var fields = elements.ByKind.Select(group => AddBackingField(group.Name, _strings)).ToArray();
        var firstMethod = NextMethod;
        var getters = fields.Select((field, i) => AddGetter(elements.ByKind[i].Name, field, _strings.Getter)).ToArray();
        if (fields.Length > 0)
        {
            AddStaticConstructor(FillLists(elements, fields));
        }

        var byKind = AddType(enclosing, string.Empty, ElementAccessors.ByKindClassName, StaticClass(nested: true), _object, firstField, firstMethod);
        if (getters.Length > 0)
        {
            _metadata.AddPropertyMap(byKind, NextProperty);
            for (var i = 0; i < getters.Length; i++)
            {
                AddProperty(elements.ByKind[i].Name, _strings.Property, getters[i]);
            }
        }
    }

    /// <summary>A static property's getter: <c>return field;</c>.</summary>
    private MethodDefinitionHandle AddGetter(string property, FieldDefinitionHandle field, BlobHandle signature)
    {
        var body = new InstructionEncoder(new BlobBuilder());
        body.OpCode(ILOpCode.Ldsfld);
        body.Token(field);
        body.OpCode(ILOpCode.Ret);
        return _metadata.AddMethodDefinition(
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName,
            MethodImplAttributes.IL,
            _metadata.GetOrAddString("get_" + property),
            signature,
            _bodies.AddMethodBody(body, maxStack: 1),
            NextParameter);
    }

    private void AddStaticConstructor(InstructionEncoder body) =>
        _metadata.AddMethodDefinition(
            MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            MethodImplAttributes.IL,
            _metadata.GetOrAddString(".cctor"),
            _constructorSignature,
            _bodies.AddMethodBody(body, maxStack: 4),
            NextParameter);

    private void AddProperty(string name, BlobHandle signature, MethodDefinitionHandle getter)
    {
        var property = _metadata.AddProperty(PropertyAttributes.None, _metadata.GetOrAddString(name), signature);
        _metadata.AddMethodSemantics(property, MethodSemanticsAttributes.Getter, getter);
    }

    /// <summary>The static constructor: each list a new <c>string[]</c> of its members' ids.</summary>
    private InstructionEncoder FillLists(ElementAccessors elements, FieldDefinitionHandle[] fields)
    {
        var body = new InstructionEncoder(new BlobBuilder());
        for (var i = 0; i < fields.Length; i++)
        {
            var members = elements.ByKind[i].Members;
            StoreNewArray(body, _string, members.Count, m => body.LoadString(_metadata.GetOrAddUserString(members[m].Element.Id)), ILOpCode.Stelem_ref, fields[i]);
        }

        body.OpCode(ILOpCode.Ret);
        return body;
    }

    /// <summary>
    /// Appends <c>field = new T[] { ... };</c>: an array of <paramref name="count"/> elements of <paramref name="elementType"/>,
    /// each pushed by <paramref name="loadElement"/> (given its index) and stored with <paramref name="store"/>.
    /// </summary>
    private static void StoreNewArray(InstructionEncoder body, EntityHandle elementType, int count, Action<int> loadElement, ILOpCode store, FieldDefinitionHandle field)
    {
        body.LoadConstantI4(count);
        body.OpCode(ILOpCode.Newarr);
        body.Token(elementType);
        for (var index = 0; index < count; index++)
        {
            body.OpCode(ILOpCode.Dup);
            body.LoadConstantI4(index);
            loadElement(index);
            body.OpCode(store);
        }

        body.OpCode(ILOpCode.Stsfld);
        body.Token(field);
    }

    private TypeDefinitionHandle AddStaticClass(TypeDefinitionHandle enclosing, string @namespace, string name, Action addFields)
    {
        var firstField = NextField;
        addFields();
        return AddType(enclosing, @namespace, name, StaticClass(nested: !enclosing.IsNil), _object, firstField, NextMethod);
    }

    private EntityHandle SystemType(string @namespace, string name) =>
        _metadata.AddTypeReference(_netStandard, _metadata.GetOrAddString(@namespace), _metadata.GetOrAddString(name));

    private void AddConstant(string name, object value, BlobHandle? signature = null)
    {
        var field = _metadata.AddFieldDefinition(FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.Literal | FieldAttributes.HasDefault, _metadata.GetOrAddString(name), signature ?? _constantSignature);
        _metadata.AddConstant(field, value);
    }

    private TypeDefinitionHandle AddType(TypeDefinitionHandle enclosing, string @namespace, string name, TypeAttributes attributes, EntityHandle baseType, FieldDefinitionHandle firstField, MethodDefinitionHandle firstMethod)
    {
        var type = _metadata.AddTypeDefinition(attributes, _metadata.GetOrAddString(@namespace), _metadata.GetOrAddString(name), baseType, firstField, firstMethod);
        if (!enclosing.IsNil)
        {
            _metadata.AddNestedType(type, enclosing);
        }

        return type;
    }

    /// <summary>What C# writes for a <c>public static class</c>.</summary>
    private static TypeAttributes StaticClass(bool nested) =>
        (nested ? TypeAttributes.NestedPublic : TypeAttributes.Public) | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class;

    private TypeDefinitionHandle NextType => MetadataTokens.TypeDefinitionHandle(_metadata.GetRowCount(TableIndex.TypeDef) + 1);

    private FieldDefinitionHandle NextField => MetadataTokens.FieldDefinitionHandle(_metadata.GetRowCount(TableIndex.Field) + 1);

    private PropertyDefinitionHandle NextProperty => MetadataTokens.PropertyDefinitionHandle(_metadata.GetRowCount(TableIndex.Property) + 1);

    private MethodDefinitionHandle NextMethod => MetadataTokens.MethodDefinitionHandle(_metadata.GetRowCount(TableIndex.MethodDef) + 1);

    /// <summary>The signatures of a read-only static list property: its backing field, its getter and the property.</summary>
    private readonly record struct ListSignatures(BlobHandle Field, BlobHandle Getter, BlobHandle Property);
}
