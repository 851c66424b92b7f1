// sltk's own JNI bridge for DJL 0.36.0's PyTorch engine (issue 12).
//
// Implements the subset of ai.djl.pytorch.jni.PyTorchLibrary's native methods that sltk calls
// (native/natives.txt), written from DJL's Java side only, against libtorch's public ATen API,
// so it can be compiled against whatever libtorch a machine has. Conventions (DJL's Java side):
//   tensor handle  jlong pointer to a heap at::Tensor, freed by torchDeleteTensor
//   dtype          ordinal of ai.djl.ndarray.types.DataType
//   device         int[]{type, index}: 0 cpu, 1 gpu (CUDA), 13 mps
//   layout         0 strided, 1 sparse COO, 2 MKLDNN
//   errors         ai.djl.engine.EngineException with libtorch's message
#pragma once

#include <jni.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include <string>
#include <vector>

#include "ai_djl_pytorch_jni_PyTorchLibrary.h"

namespace sltk_bridge {

// --- errors -------------------------------------------------------------------------------

void ThrowEngineException(JNIEnv* env, const char* message);

}  // namespace sltk_bridge

// Wraps a native body: C++ exceptions become ai.djl.engine.EngineException.
#define BRIDGE_TRY try {
#define BRIDGE_CATCH(env, fallback)                                                         \
  }                                                                                         \
  catch (const c10::Error& e) {                                                             \
    sltk_bridge::ThrowEngineException(env, e.what_without_backtrace());                     \
  }                                                                                         \
  catch (const std::exception& e) {                                                         \
    sltk_bridge::ThrowEngineException(env, e.what());                                       \
  }                                                                                         \
  catch (...) {                                                                             \
    sltk_bridge::ThrowEngineException(env, "sltk bridge: unknown C++ exception");          \
  }                                                                                         \
  return fallback;

#define BRIDGE_CATCH_VOID(env)                                                              \
  }                                                                                         \
  catch (const c10::Error& e) {                                                             \
    sltk_bridge::ThrowEngineException(env, e.what_without_backtrace());                     \
  }                                                                                         \
  catch (const std::exception& e) {                                                         \
    sltk_bridge::ThrowEngineException(env, e.what());                                       \
  }                                                                                         \
  catch (...) {                                                                             \
    sltk_bridge::ThrowEngineException(env, "sltk bridge: unknown C++ exception");          \
  }

namespace sltk_bridge {

// --- handles ------------------------------------------------------------------------------

inline at::Tensor& T(jlong handle) {
  if (handle == 0) {
    throw std::invalid_argument("sltk bridge: null tensor handle");
  }
  return *reinterpret_cast<at::Tensor*>(handle);
}

inline jlong H(at::Tensor t) { return reinterpret_cast<jlong>(new at::Tensor(std::move(t))); }

// --- dtype / device / layout --------------------------------------------------------------

c10::ScalarType ToScalarType(jint djl_dtype);
jint FromScalarType(c10::ScalarType type);
c10::Device ToDevice(JNIEnv* env, jintArray device);
c10::Layout ToLayout(jint layout);
at::TensorOptions Options(JNIEnv* env, jint dtype, jint layout, jintArray device, jboolean grad);

// --- arrays -------------------------------------------------------------------------------

std::vector<int64_t> LongVector(JNIEnv* env, jlongArray array);
jlongArray LongArray(JNIEnv* env, const std::vector<int64_t>& values);
jlongArray HandleArray(JNIEnv* env, const std::vector<at::Tensor>& tensors);

}  // namespace sltk_bridge
