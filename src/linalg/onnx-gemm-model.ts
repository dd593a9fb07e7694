/**
 * Writes, in ONNX's protobuf wire format, the bytes of a model with a single
 * `Gemm` node (opset 13): C = op(A)·op(B), op being a transpose when the
 * `transA` / `transB` attribute is 1. All dimensions are symbolic (M, K, N),
 * so one session serves every shape.
 *
 * Hand-encoded because the `onnx` Python package (or a protobuf library) is not
 * needed for ~300 bytes of fixed structure. Field numbers are those of
 * onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
 * ValueInfoProto, TypeProto.Tensor, TensorShapeProto.Dimension).
 */

type Bytes = number[];

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const ELEM_TYPE_FLOAT = 1;
const ATTRIBUTE_TYPE_INT = 2;

function varint(value: number): Bytes {
  const out: Bytes = [];
  let rest = value;
  while (rest > 127) {
    out.push((rest & 127) | 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

function tag(field: number, wireType: number): Bytes {
  return varint(field * 8 + wireType);
}

function message(field: number, body: Bytes): Bytes {
  return [...tag(field, WIRE_LENGTH_DELIMITED), ...varint(body.length), ...body];
}

function text(field: number, value: string): Bytes {
  return message(field, [...new TextEncoder().encode(value)]);
}

function integer(field: number, value: number): Bytes {
  return [...tag(field, WIRE_VARINT), ...varint(value)];
}

/** ValueInfoProto for a float tensor whose dimensions are all symbolic. */
function floatTensorInfo(name: string, dims: readonly string[]): Bytes {
  const shape = dims.flatMap((dim) => message(1, text(2, dim))); // Dimension.dim_param
  const tensorType = [...integer(1, ELEM_TYPE_FLOAT), ...message(2, shape)];
  return [...text(1, name), ...message(2, message(1, tensorType))]; // TypeProto.tensor_type
}

function intAttribute(name: string, value: number): Bytes {
  return [...text(1, name), ...integer(3, value), ...integer(20, ATTRIBUTE_TYPE_INT)];
}

/** The model bytes for inputs `A`, `B` and output `C` with the given transposes. */
export function gemmModelBytes(transA: boolean, transB: boolean): Uint8Array {
  const node = [
    ...text(1, 'A'),
    ...text(1, 'B'),
    ...text(2, 'C'),
    ...text(3, 'gemm'),
    ...text(4, 'Gemm'),
    ...message(5, intAttribute('transA', transA ? 1 : 0)),
    ...message(5, intAttribute('transB', transB ? 1 : 0)),
  ];
  const graph = [
    ...message(1, node),
    ...text(2, 'gemm'),
    ...message(11, floatTensorInfo('A', transA ? ['K', 'M'] : ['M', 'K'])),
    ...message(11, floatTensorInfo('B', transB ? ['N', 'K'] : ['K', 'N'])),
    ...message(12, floatTensorInfo('C', ['M', 'N'])),
  ];
  const opset = [...text(1, ''), ...integer(2, 13)];
  const model = [...integer(1, 8), ...text(2, 'activation-lab'), ...message(7, graph), ...message(8, opset)];
  return new Uint8Array(model);
}
