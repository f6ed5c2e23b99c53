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
/// breaks compilation; the <c>ByKind</c> lists are read-only static properties set by a static constructor. Types are
/// public (the project reaches them across the assembly boundary), the core library is <c>netstandard</c> 2.0 (every
/// .NET Framework 4.6.1+ and .NET project can bind it), and the output depends only on the plans: the same fixtures
/// give the same bytes.
/// </summary>
internal sealed class AccessorAssembly
{
    private static readonly byte[] NetStandardPublicKeyToken = [0xCC, 0x7B, 0x13, 0xFF, 0xCD, 0x2D, 0xDD, 0x51];

    private readonly MetadataBuilder _metadata = new();
    private readonly BlobBuilder _il = new();
    private readonly MethodBodyStreamEncoder _bodies;
    private readonly EntityHandle _object;
    private readonly EntityHandle _string;
    private readonly BlobHandle _constantSignature;
    private readonly BlobHandle _listSignature;
    private readonly BlobHandle _getterSignature;
    private readonly BlobHandle _propertySignature;
    private readonly BlobHandle _constructorSignature;

    private AccessorAssembly(string assemblyName, out ReservedBlob<GuidHandle> mvid)
    {
        _bodies = new MethodBodyStreamEncoder(_il);
        mvid = _metadata.ReserveGuid();
        _metadata.AddModule(0, _metadata.GetOrAddString(assemblyName + ".dll"), mvid.Handle, default, default);
        _metadata.AddAssembly(_metadata.GetOrAddString(assemblyName), new Version(1, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.Sha1);
        var netStandard = _metadata.AddAssemblyReference(_metadata.GetOrAddString("netstandard"), new Version(2, 0, 0, 0), default, _metadata.GetOrAddBlob(NetStandardPublicKeyToken), default, default);
        _object = _metadata.AddTypeReference(netStandard, _metadata.GetOrAddString("System"), _metadata.GetOrAddString("Object"));
        _string = _metadata.AddTypeReference(netStandard, _metadata.GetOrAddString("System"), _metadata.GetOrAddString("String"));
        var readOnlyList = _metadata.AddTypeReference(netStandard, _metadata.GetOrAddString("System.Collections.Generic"), _metadata.GetOrAddString("IReadOnlyList`1"));

        _constantSignature = Blob(builder => new BlobEncoder(builder).FieldSignature().String());
        _listSignature = Blob(builder => ListOfString(new BlobEncoder(builder).FieldSignature(), readOnlyList));
        _getterSignature = Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(0, returnType => ListOfString(returnType.Type(), readOnlyList), _ => { }));
        _propertySignature = Blob(builder => new BlobEncoder(builder).PropertySignature().Parameters(0, returnType => ListOfString(returnType.Type(), readOnlyList), _ => { }));
        _constructorSignature = Blob(builder => new BlobEncoder(builder).MethodSignature().Parameters(0, returnType => returnType.Void(), _ => { }));
    }

    /// <summary>The assembly <paramref name="assemblyName"/> with <c>MemoryFixtures</c> in <paramref name="rootNamespace"/> holding the fixtures of <paramref name="plans"/>, in their order.</summary>
    public static byte[] Write(string assemblyName, string? rootNamespace, IReadOnlyList<AccessorPlan> plans)
    {
        var writer = new AccessorAssembly(assemblyName, out var mvid);
        writer.AddTypes(rootNamespace, plans);
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

    private static void ListOfString(SignatureTypeEncoder type, EntityHandle readOnlyList)
    {
        var arguments = type.GenericInstantiation(readOnlyList, 1, isValueType: false);
        arguments.AddArgument().String();
    }

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
        var fields = elements.ByKind.Select(group => _metadata.AddFieldDefinition(FieldAttributes.Private | FieldAttributes.Static | FieldAttributes.InitOnly, _metadata.GetOrAddString("<" + group.Name + ">k__BackingField"), _listSignature)).ToArray();
        var firstMethod = NextMethod;
        var getters = new MethodDefinitionHandle[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var body = new InstructionEncoder(new BlobBuilder());
            body.OpCode(ILOpCode.Ldsfld);
            body.Token(fields[i]);
            body.OpCode(ILOpCode.Ret);
            getters[i] = _metadata.AddMethodDefinition(
                MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName,
                MethodImplAttributes.IL,
                _metadata.GetOrAddString("get_" + elements.ByKind[i].Name),
                _getterSignature,
                _bodies.AddMethodBody(body, maxStack: 1),
                default);
        }

        if (fields.Length > 0)
        {
            _metadata.AddMethodDefinition(
                MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
                MethodImplAttributes.IL,
                _metadata.GetOrAddString(".cctor"),
                _constructorSignature,
                _bodies.AddMethodBody(FillLists(elements, fields), maxStack: 4),
                default);
        }

        var byKind = AddType(enclosing, string.Empty, ElementAccessors.ByKindClassName, StaticClass(nested: true), _object, firstField, firstMethod);
        if (getters.Length > 0)
        {
            _metadata.AddPropertyMap(byKind, NextProperty);
            for (var i = 0; i < getters.Length; i++)
            {
                var property = _metadata.AddProperty(PropertyAttributes.None, _metadata.GetOrAddString(elements.ByKind[i].Name), _propertySignature);
                _metadata.AddMethodSemantics(property, MethodSemanticsAttributes.Getter, getters[i]);
            }
        }
    }

    /// <summary>The static constructor: each list a new <c>string[]</c> of its members' ids.</summary>
    private InstructionEncoder FillLists(ElementAccessors elements, FieldDefinitionHandle[] fields)
    {
        var body = new InstructionEncoder(new BlobBuilder());
        for (var i = 0; i < fields.Length; i++)
        {
            var members = elements.ByKind[i].Members;
            body.LoadConstantI4(members.Count);
            body.OpCode(ILOpCode.Newarr);
            body.Token(_string);
            for (var m = 0; m < members.Count; m++)
            {
                body.OpCode(ILOpCode.Dup);
                body.LoadConstantI4(m);
                body.LoadString(_metadata.GetOrAddUserString(members[m].Element.Id));
                body.OpCode(ILOpCode.Stelem_ref);
            }

            body.OpCode(ILOpCode.Stsfld);
            body.Token(fields[i]);
        }

        body.OpCode(ILOpCode.Ret);
        return body;
    }

    private TypeDefinitionHandle AddStaticClass(TypeDefinitionHandle enclosing, string @namespace, string name, Action addFields)
    {
        var firstField = NextField;
        addFields();
        return AddType(enclosing, @namespace, name, StaticClass(nested: !enclosing.IsNil), _object, firstField, NextMethod);
    }

    private void AddConstant(string name, string value)
    {
        var field = _metadata.AddFieldDefinition(FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.Literal | FieldAttributes.HasDefault, _metadata.GetOrAddString(name), _constantSignature);
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

    private FieldDefinitionHandle NextField => MetadataTokens.FieldDefinitionHandle(_metadata.GetRowCount(TableIndex.Field) + 1);

    private PropertyDefinitionHandle NextProperty => MetadataTokens.PropertyDefinitionHandle(_metadata.GetRowCount(TableIndex.Property) + 1);

    private MethodDefinitionHandle NextMethod => MetadataTokens.MethodDefinitionHandle(_metadata.GetRowCount(TableIndex.MethodDef) + 1);
}
