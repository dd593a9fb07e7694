import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A Gauss quadrature rule: ∫ f dμ ≈ Σ weights[i]·f(nodes[i]), nodes ascending. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/**
 * Golub–Welsch (1969) for a weight symmetric about 0 whose monic orthogonal
 * polynomials obey p_{k+1}(x) = x·p_k(x) − β_k·p_{k−1}(x): the nodes are the
 * eigenvalues of the symmetric tridiagonal Jacobi matrix with zero diagonal and
 * off-diagonal √β_1 … √β_{n−1}; the weights are μ₀ times the squared first
 * components of its unit eigenvectors. Returns eigenvalues ascending with their
 * first components.
 */
export function symmetricJacobiEigen(
  offDiagonal: (k: number) => number,
  nodeCount: number,
): { eigenvalues: Float64Array; firstComponents: Float64Array } {
  const jacobi = Matrix.zeros(nodeCount, nodeCount);
  for (let k = 1; k < nodeCount; k += 1) {
    const entry = offDiagonal(k);
    jacobi.set(k - 1, k, entry);
    jacobi.set(k, k - 1, entry);
  }
  const decomposition = new EigenvalueDecomposition(jacobi, { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  const order = values.map((_, index) => index).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const eigenvalues = new Float64Array(nodeCount);
  const firstComponents = new Float64Array(nodeCount);
  order.forEach((column, position) => {
    eigenvalues[position] = values[column] ?? Number.NaN;
    firstComponents[position] = vectors.get(0, column);
  });
  return { eigenvalues, firstComponents };
}

/**
 * Makes a rule for a symmetric weight exactly symmetric: node i and node
 * n − 1 − i become ±(their mean magnitude), their weights the mean weight, and
 * the middle node of an odd rule exactly 0. Odd integrands then cancel to the
 * last bit, which the mean-field slopes rely on.
 */
export function symmetrize(nodes: Float64Array, weights: Float64Array): QuadratureRule {
  const count = nodes.length;
  const symmetricNodes = new Float64Array(count);
  const symmetricWeights = new Float64Array(count);
  for (let i = 0; i < Math.ceil(count / 2); i += 1) {
    const mirror = count - 1 - i;
    const magnitude = i === mirror ? 0 : ((nodes[mirror] ?? 0) - (nodes[i] ?? 0)) / 2;
    const weight = ((weights[i] ?? 0) + (weights[mirror] ?? 0)) / 2;
    symmetricNodes[i] = -magnitude;
    symmetricNodes[mirror] = magnitude;
    symmetricWeights[i] = weight;
    symmetricWeights[mirror] = weight;
  }
  return { nodes: symmetricNodes, weights: symmetricWeights };
}
