// Arithmetic, reductions, shape operations, neural-network functions, autograd and the Adam
// update.
#include "bridge.h"

using namespace sltk_bridge;

namespace {

std::vector<at::Tensor> Tensors(JNIEnv* env, jlongArray handles) {
  std::vector<at::Tensor> out;
  for (int64_t h : LongVector(env, handles)) {
    out.push_back(T(h));
  }
  return out;
}

}  // namespace

// Bodies shared by many natives; every native's JNI name is written out in full, so that
// BridgeNativesTest can check native/natives.txt against these files.
#define UNARY_BODY(expr)                                                                    \
  BRIDGE_TRY                                                                                \
  const at::Tensor& t = T(h);                                                               \
  return H(expr);                                                                           \
  BRIDGE_CATCH(env, 0)

#define BINARY_BODY(expr)                                                                   \
  BRIDGE_TRY                                                                                \
  const at::Tensor& x = T(a);                                                               \
  const at::Tensor& y = T(b);                                                               \
  return H(expr);                                                                           \
  BRIDGE_CATCH(env, 0)

#define DIM_BODY(expr)                                                                      \
  BRIDGE_TRY                                                                                \
  const at::Tensor& t = T(h);                                                               \
  bool keep = keep_dim == JNI_TRUE;                                                         \
  return H(expr);                                                                           \
  BRIDGE_CATCH(env, 0)

#define INPLACE_BODY(expr)                                                                  \
  BRIDGE_TRY                                                                                \
  const at::Tensor& x = T(a);                                                               \
  const at::Tensor& y = T(b);                                                               \
  expr;                                                                                     \
  BRIDGE_CATCH_VOID(env)

#define JNI_UNARY(name) \
  JNIEXPORT jlong JNICALL name(JNIEnv* env, jobject, jlong h)
#define JNI_BINARY(name) \
  JNIEXPORT jlong JNICALL name(JNIEnv* env, jobject, jlong a, jlong b)
#define JNI_INPLACE(name) \
  JNIEXPORT void JNICALL name(JNIEnv* env, jobject, jlong a, jlong b)
#define JNI_DIM(name) \
  JNIEXPORT jlong JNICALL name(JNIEnv* env, jobject, jlong h, jlong dim, jboolean keep_dim)

extern "C" {

// ------------------------------------------------------------------------------ arithmetic

JNI_BINARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchAdd) { BINARY_BODY(at::add(x, y)) }
JNI_BINARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSub) { BINARY_BODY(at::sub(x, y)) }
JNI_BINARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMul) { BINARY_BODY(at::mul(x, y)) }
JNI_BINARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchTrueDivide) { BINARY_BODY(at::true_divide(x, y)) }
JNI_BINARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMatmul) { BINARY_BODY(at::matmul(x, y)) }
JNI_BINARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchLte) { BINARY_BODY(at::le(x, y)) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNeg) { UNARY_BODY(at::neg(t)) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchAbs) { UNARY_BODY(at::abs(t)) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSqrt) { UNARY_BODY(at::sqrt(t)) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchCos) { UNARY_BODY(at::cos(t)) }

// in place (edge-popup's SGD updates: NDArray.addi, subi, muli)
JNI_INPLACE(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchAddi) { INPLACE_BODY(x.add_(y)) }
JNI_INPLACE(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSubi) { INPLACE_BODY(x.sub_(y)) }
JNI_INPLACE(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMuli) { INPLACE_BODY(x.mul_(y)) }

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchTranspose(JNIEnv* env, jobject,
                                                                             jlong h, jlong d1,
                                                                             jlong d2) {
  BRIDGE_TRY
  return H(T(h).transpose(d1, d2));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchFlatten(JNIEnv* env, jobject,
                                                                           jlong h, jlong start,
                                                                           jlong end) {
  BRIDGE_TRY
  return H(T(h).flatten(start, end));
  BRIDGE_CATCH(env, 0)
}

// ------------------------------------------------------------------------------ reductions

JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchArgMax__J) { UNARY_BODY(t.argmax()) }
JNI_DIM(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchArgMax__JJZ) { DIM_BODY(t.argmax(dim, keep)) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchArgMin__J) { UNARY_BODY(t.argmin()) }
JNI_DIM(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchArgMin__JJZ) { DIM_BODY(t.argmin(dim, keep)) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMax__J) { UNARY_BODY(t.max()) }
JNI_DIM(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMax__JJZ) { DIM_BODY(std::get<0>(t.max(dim, keep))) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMin__J) { UNARY_BODY(t.min()) }
JNI_DIM(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMin__JJZ) { DIM_BODY(std::get<0>(t.min(dim, keep))) }
JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMean__J) { UNARY_BODY(t.mean()) }
JNI_DIM(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMean__JJZ) { DIM_BODY(t.mean(dim, keep)) }

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSum__J(JNIEnv* env, jobject,
                                                                          jlong h) {
  BRIDGE_TRY
  return H(T(h).sum());
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSum__J_3JZ(
    JNIEnv* env, jobject, jlong h, jlongArray dims, jboolean keep_dim) {
  BRIDGE_TRY
  return H(T(h).sum(LongVector(env, dims), keep_dim == JNI_TRUE));
  BRIDGE_CATCH(env, 0)
}

// ------------------------------------------------------------------------------------ shape

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchReshape(JNIEnv* env, jobject,
                                                                           jlong h,
                                                                           jlongArray shape) {
  BRIDGE_TRY
  return H(T(h).reshape(LongVector(env, shape)));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchPermute(JNIEnv* env, jobject,
                                                                           jlong h,
                                                                           jlongArray dims) {
  BRIDGE_TRY
  return H(T(h).permute(LongVector(env, dims)));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchStack(JNIEnv* env, jobject,
                                                                         jlongArray handles,
                                                                         jlong dim) {
  BRIDGE_TRY
  return H(at::stack(Tensors(env, handles), dim));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchCat(JNIEnv* env, jobject,
                                                                       jlongArray handles,
                                                                       jlong dim) {
  BRIDGE_TRY
  return H(at::cat(Tensors(env, handles), dim));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchGather(JNIEnv* env, jobject,
                                                                          jlong h, jlong index,
                                                                          jlong dim,
                                                                          jboolean sparse_grad) {
  BRIDGE_TRY
  return H(at::gather(T(h), dim, T(index), sparse_grad == JNI_TRUE));
  BRIDGE_CATCH(env, 0)
}

// ---------------------------------------------------------------------------------- nn

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNNLinear(JNIEnv* env, jobject,
                                                                            jlong input,
                                                                            jlong weight,
                                                                            jlong bias) {
  BRIDGE_TRY
  c10::optional<at::Tensor> b;
  if (bias != 0) {
    b = T(bias);
  }
  return H(at::linear(T(input), T(weight), b));
  BRIDGE_CATCH(env, 0)
}

JNI_UNARY(Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNNRelu) { UNARY_BODY(at::relu(t)) }

// Convolution and pooling (used by convolutional targets: sltk train --arch lenet5, conv pruning).
// The number of spatial dimensions follows the weight (convolution) or the kernel size (pooling).

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNNConvNd(
    JNIEnv* env, jobject, jlong input, jlong weight, jlong bias, jlongArray stride, jlongArray padding,
    jlongArray dilation, jint groups) {
  BRIDGE_TRY
  c10::optional<at::Tensor> b;
  if (bias != 0) {
    b = T(bias);
  }
  const std::vector<int64_t> s = LongVector(env, stride);
  const std::vector<int64_t> p = LongVector(env, padding);
  const std::vector<int64_t> d = LongVector(env, dilation);
  const at::Tensor& w = T(weight);
  switch (w.dim()) {
    case 3:
      return H(at::conv1d(T(input), w, b, s, p, d, groups));
    case 4:
      return H(at::conv2d(T(input), w, b, s, p, d, groups));
    case 5:
      return H(at::conv3d(T(input), w, b, s, p, d, groups));
    default:
      throw std::invalid_argument("convolution weight must have 3, 4 or 5 dimensions, found " +
                                  std::to_string(w.dim()));
  }
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNNMaxPool(
    JNIEnv* env, jobject, jlong input, jlongArray kernel, jlongArray stride, jlongArray padding,
    jboolean ceil) {
  BRIDGE_TRY
  const std::vector<int64_t> k = LongVector(env, kernel);
  const std::vector<int64_t> s = LongVector(env, stride);
  const std::vector<int64_t> p = LongVector(env, padding);
  const std::vector<int64_t> dil(k.size(), 1);
  const bool c = ceil == JNI_TRUE;
  switch (k.size()) {
    case 1:
      return H(at::max_pool1d(T(input), k, s, p, dil, c));
    case 2:
      return H(at::max_pool2d(T(input), k, s, p, dil, c));
    case 3:
      return H(at::max_pool3d(T(input), k, s, p, dil, c));
    default:
      throw std::invalid_argument("max pooling takes 1 to 3 kernel dimensions, found " +
                                  std::to_string(k.size()));
  }
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNNAvgPool(
    JNIEnv* env, jobject, jlong input, jlongArray kernel, jlongArray stride, jlongArray padding,
    jboolean ceil, jboolean countIncludePad) {
  BRIDGE_TRY
  const std::vector<int64_t> k = LongVector(env, kernel);
  const std::vector<int64_t> s = LongVector(env, stride);
  const std::vector<int64_t> p = LongVector(env, padding);
  const bool c = ceil == JNI_TRUE;
  const bool inc = countIncludePad == JNI_TRUE;
  switch (k.size()) {
    case 1:
      return H(at::avg_pool1d(T(input), k, s, p, c, inc));
    case 2:
      return H(at::avg_pool2d(T(input), k, s, p, c, inc));
    case 3:
      return H(at::avg_pool3d(T(input), k, s, p, c, inc));
    default:
      throw std::invalid_argument("average pooling takes 1 to 3 kernel dimensions, found " +
                                  std::to_string(k.size()));
  }
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchLogSoftmax(JNIEnv* env,
                                                                              jobject, jlong h,
                                                                              jlong dim,
                                                                              jint dtype) {
  BRIDGE_TRY
  return H(T(h).log_softmax(dim, ToScalarType(dtype)));
  BRIDGE_CATCH(env, 0)
}

// ----------------------------------------------------------------------------- autograd

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchAttachGrad(JNIEnv* env, jobject,
                                                                             jlong h,
                                                                             jboolean requires) {
  BRIDGE_TRY
  at::Tensor& t = T(h);
  if (!t.is_leaf()) {
    t.detach_();  // only leaves can be marked; DJL attaches gradients to parameters
  }
  t.requires_grad_(requires == JNI_TRUE);
  BRIDGE_CATCH_VOID(env)
}

// 0 (DJL's null handle) when the tensor has no gradient yet.
JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchGrad(JNIEnv* env, jobject,
                                                                        jlong h) {
  BRIDGE_TRY
  at::Tensor g = T(h).grad();
  return g.defined() ? H(g) : 0;
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchBackward(JNIEnv* env, jobject,
                                                                           jlong h, jlong grad,
                                                                           jboolean keep_graph,
                                                                           jboolean create_graph) {
  BRIDGE_TRY
  at::Tensor g;
  if (grad != 0) {
    g = T(grad);
  }
  T(h).backward(g, keep_graph == JNI_TRUE, create_graph == JNI_TRUE);
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_zeroGrad(JNIEnv* env, jobject,
                                                                      jlong h) {
  BRIDGE_TRY
  at::Tensor& g = T(h).mutable_grad();
  if (g.defined()) {
    g.detach_();
    g.zero_();
  }
  BRIDGE_CATCH_VOID(env)
}

// Adam as DJL's optimizer calls it: lr_bias_correction = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
// weight decay added to the gradient (Adam) or applied to the weight (AdamW).
JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_adamUpdate(
    JNIEnv* env, jobject, jlong weight, jlong grad, jlong mean, jlong variance, jfloat lr,
    jfloat lr_bias_correction, jfloat wd, jfloat rescale_grad, jfloat clip_grad, jfloat beta1,
    jfloat beta2, jfloat eps, jboolean adamw) {
  BRIDGE_TRY
  c10::NoGradGuard no_grad;
  at::Tensor& w = T(weight);
  at::Tensor& m = T(mean);
  at::Tensor& v = T(variance);
  at::Tensor g = T(grad) * rescale_grad;
  if (clip_grad > 0) {
    g = g.clamp(-clip_grad, clip_grad);
  }
  if (adamw != JNI_TRUE && wd != 0) {
    g = g + w * wd;
  }
  m.mul_(beta1).add_(g, 1.0 - beta1);
  v.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
  if (adamw == JNI_TRUE && wd != 0) {
    w.mul_(1.0 - static_cast<double>(lr) * wd);
  }
  w.sub_(m / (v.sqrt() + eps) * lr_bias_correction);
  BRIDGE_CATCH_VOID(env)
}

}  // extern "C"
