using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace MemoryContracts.Build.Accessors;

/// <summary>
/// The nullable annotations of the generator's <c>#nullable enable</c> source: the vocabularies' companions are
/// annotated (<c>TryParse</c> takes a <c>string?</c>, everything else is not null), so a project with nullable on gets
/// the warnings it gets from the generator's companions. The compiler's attribute types are declared here as the
/// compiler declares them in an assembly that needs them: internal, and marked <c>[Embedded]</c>, so the project,
/// which sees this assembly's internal types, does not see them beside its own.
/// </summary>
internal sealed partial class AccessorAssembly
{
    private const byte NotAnnotated = 1;
    private const byte Annotated = 2;

    /// <summary>Declares <c>EmbeddedAttribute</c>, <c>NullableContextAttribute</c> and <c>NullableAttribute</c>; returns the constructors of the last two.</summary>
    private (MethodDefinitionHandle Context, MethodDefinitionHandle Nullable) AddNullableAttributes(VocabularyReferences references)
    {
        var embedded = AddAttributeType("Microsoft.CodeAnalysis", "EmbeddedAttribute", references, field: null, store: null);
        var context = AddAttributeType("System.Runtime.CompilerServices", "NullableContextAttribute", references, ("Flag", Blob(builder => new BlobEncoder(builder).FieldSignature().Byte())), (body, flag) =>
        {
            body.LoadArgument(1);
            body.OpCode(ILOpCode.Stfld);
            body.Token(flag);
        });
        var nullable = AddAttributeType("System.Runtime.CompilerServices", "NullableAttribute", references, ("NullableFlags", Blob(builder => new BlobEncoder(builder).FieldSignature().SZArray().Byte())), (body, flags) =>
        {
            // NullableFlags = new byte[] { flag };
            body.LoadConstantI4(1);
            body.OpCode(ILOpCode.Newarr);
            body.Token(references.Byte);
            body.OpCode(ILOpCode.Dup);
            body.LoadConstantI4(0);
            body.LoadArgument(1);
            body.OpCode(ILOpCode.Stelem_i1);
            body.OpCode(ILOpCode.Stfld);
            body.Token(flags);
        });
        foreach (var (type, _) in new[] { embedded, context, nullable })
        {
            _metadata.AddCustomAttribute(type, references.CompilerGenerated, references.NoArguments);
            _metadata.AddCustomAttribute(type, embedded.Constructor, references.NoArguments);
        }

        return (context.Constructor, nullable.Constructor);
    }

    /// <summary>
    /// An <c>internal sealed</c> attribute class: with a <paramref name="field"/>, a public read-only field its
    /// constructor sets from a <c>byte</c> argument (through <paramref name="store"/>); without, a parameterless one.
    /// </summary>
    private (TypeDefinitionHandle Type, MethodDefinitionHandle Constructor) AddAttributeType(string @namespace, string name, VocabularyReferences references, (string Name, BlobHandle Signature)? field, Action<InstructionEncoder, FieldDefinitionHandle>? store)
    {
        var firstField = NextField;
        var stored = field is { } declared ? _metadata.AddFieldDefinition(FieldAttributes.Public | FieldAttributes.InitOnly, _metadata.GetOrAddString(declared.Name), declared.Signature) : default;
        var body = new InstructionEncoder(new BlobBuilder());
        body.LoadArgument(0);
        body.Call(references.AttributeConstructor);
        if (field is not null)
        {
            body.LoadArgument(0);
            store!(body, stored);
        }

        body.OpCode(ILOpCode.Ret);
        var firstMethod = NextMethod;
        var firstParameter = NextParameter;
        if (field is not null)
        {
            _metadata.AddParameter(ParameterAttributes.None, _metadata.GetOrAddString("value"), 1);
        }

        var constructor = _metadata.AddMethodDefinition(
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            MethodImplAttributes.IL,
            _metadata.GetOrAddString(".ctor"),
            Blob(builder => new BlobEncoder(builder).MethodSignature(isInstanceMethod: true).Parameters(field is null ? 0 : 1, returnType => returnType.Void(), parameters =>
            {
                if (field is not null)
                {
                    parameters.AddParameter().Type().Byte();
                }
            })),
            _bodies.AddMethodBody(body, maxStack: 4, localVariablesSignature: default, attributes: MethodBodyAttributes.None),
            firstParameter);
        var type = AddType(default, @namespace, name, TypeAttributes.NotPublic | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class, references.Attribute, firstField, firstMethod);
        return (type, constructor);
    }

    /// <summary>The value of a nullable attribute with one flag.</summary>
    private BlobHandle NullableFlag(byte flag) => Blob(builder => AttributeValue(builder, flag));
}
