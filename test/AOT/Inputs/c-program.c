// Calls the struct-aot-compiled Monarch layer through its C interface and
// compares it with the definition (DESIGN.md §1) computed here in double.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} MemRef2D;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[3], strides[3];
} MemRef3D;

void _mlir_ciface_layer(MemRef2D *x, MemRef3D *w1, MemRef3D *w2, MemRef2D *y);

enum { N = 48, K = 6, Q = 8, P = 8, L = 8, S = 6, R = 6 };

static float uniform(unsigned *state) {
  *state = *state * 1103515245u + 12345u;
  return (float)((*state >> 8) & 0xffff) / 32768.0f - 1.0f;
}

static MemRef2D view2(float *data, int64_t rows, int64_t cols) {
  MemRef2D m = {data, data, 0, {rows, cols}, {cols, 1}};
  return m;
}

static MemRef3D view3(float *data, int64_t a, int64_t b, int64_t c) {
  MemRef3D m = {data, data, 0, {a, b, c}, {b * c, c, 1}};
  return m;
}

int main(int argc, char **argv) {
  int batch = argc > 1 ? atoi(argv[1]) : 37;
  unsigned state = 7;
  float *x = malloc(sizeof(float) * batch * N);
  float *y = malloc(sizeof(float) * batch * N);
  float w1[K * Q * P], w2[L * S * R];
  for (int i = 0; i < batch * N; ++i)
    x[i] = uniform(&state), y[i] = 99.0f;
  for (int i = 0; i < K * Q * P; ++i)
    w1[i] = uniform(&state);
  for (int i = 0; i < L * S * R; ++i)
    w2[i] = uniform(&state);

  MemRef2D mx = view2(x, batch, N), my = view2(y, batch, N);
  MemRef3D mw1 = view3(w1, K, Q, P), mw2 = view3(w2, L, S, R);
  _mlir_ciface_layer(&mx, &mw1, &mw2, &my);

  double max_err = 0;
  for (int b = 0; b < batch; ++b) {
    double z[K * Q] = {0};
    for (int i = 0; i < K; ++i)
      for (int j = 0; j < Q; ++j)
        for (int t = 0; t < P; ++t)
          z[i * Q + j] += (double)w1[(i * Q + j) * P + t] * x[b * N + i * P + t];
    for (int a = 0; a < L; ++a)
      for (int u = 0; u < S; ++u) {
        double ref = 0;
        for (int c = 0; c < R; ++c)
          ref += (double)w2[(a * S + u) * R + c] * z[c * L + a];
        double err = fabs(ref - y[b * N + u * L + a]);
        if (err > max_err)
          max_err = err;
      }
  }
  printf("batch=%d max_abs_err=%g\n", batch, max_err);
  printf(max_err < 1e-4 ? "PASS\n" : "FAIL\n");
  free(x);
  free(y);
  return max_err < 1e-4 ? 0 : 1;
}
