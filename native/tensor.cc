// Engine start-up, tensor creation, data access, properties, indexing and deletion.
#include "bridge.h"

#include <ATen/detail/CUDAHooksInterface.h>

#include <cstring>

using namespace sltk_bridge;


// ---------------------------------------------------------------------------------- engine

extern "C" {

JNIEXPORT jboolean JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIsGradMode(JNIEnv* env,
                                                                                  jobject) {
  BRIDGE_TRY
  return c10::GradMode::is_enabled() ? JNI_TRUE : JNI_FALSE;
  BRIDGE_CATCH(env, JNI_FALSE)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSetGradMode(JNIEnv* env, jobject,
                                                                              jboolean enable) {
  BRIDGE_TRY
  c10::GradMode::set_enabled(enable == JNI_TRUE);
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT jint JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchGetNumInteropThreads(JNIEnv* env,
                                                                                       jobject) {
  BRIDGE_TRY
  return static_cast<jint>(at::get_num_interop_threads());
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jint JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchGetNumThreads(JNIEnv* env,
                                                                                jobject) {
  BRIDGE_TRY
  return static_cast<jint>(at::get_num_threads());
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSetNumInteropThreads(
    JNIEnv* env, jobject, jint threads) {
  BRIDGE_TRY
  at::set_num_interop_threads(threads);
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSetNumThreads(JNIEnv* env,
                                                                                jobject,
                                                                                jint threads) {
  BRIDGE_TRY
  at::set_num_threads(threads);
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchManualSeed(JNIEnv* env, jobject,
                                                                             jlong seed) {
  BRIDGE_TRY
  auto s = static_cast<uint64_t>(seed);
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(s);
  }
  if (at::hasCUDA()) {
    int n = static_cast<int>(at::detail::getCUDAHooks().getNumGPUs());
    for (int i = 0; i < n; ++i) {
      auto gen = at::globalContext().defaultGenerator(c10::Device(c10::DeviceType::CUDA, i));
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(s);
    }
  }
  BRIDGE_CATCH_VOID(env)
}

// Features DJL's PtEngine.hasCapability() reads; "CUDA" only where libtorch sees a GPU, which
// Engine.getGpuCount() and defaultDevice() also require.
JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchShowConfig(JNIEnv* env, jobject,
                                                                             jobject set) {
  BRIDGE_TRY
  jclass cls = env->GetObjectClass(set);
  jmethodID add = env->GetMethodID(cls, "add", "(Ljava/lang/Object;)Z");
  auto put = [&](const char* feature) {
    jstring s = env->NewStringUTF(feature);
    env->CallBooleanMethod(set, add, s);
    env->DeleteLocalRef(s);
  };
  if (at::hasCUDA()) put("CUDA");
  if (at::globalContext().hasCuDNN()) put("CUDNN");
  if (at::hasMKL()) put("MKL");
  if (at::hasMKLDNN()) put("MKLDNN");
  if (at::hasOpenMP()) put("OPENMP");
  if (at::hasLAPACK()) put("LAPACK");
  put("SLTK_BRIDGE");
  BRIDGE_CATCH_VOID(env)
}

// -------------------------------------------------------------------------------- creation

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchZeros(
    JNIEnv* env, jobject, jlongArray shape, jint dtype, jint layout, jintArray device,
    jboolean grad) {
  BRIDGE_TRY
  return H(at::zeros(LongVector(env, shape), Options(env, dtype, layout, device, grad)));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchOnes(
    JNIEnv* env, jobject, jlongArray shape, jint dtype, jint layout, jintArray device,
    jboolean grad) {
  BRIDGE_TRY
  return H(at::ones(LongVector(env, shape), Options(env, dtype, layout, device, grad)));
  BRIDGE_CATCH(env, 0)
}

// CPU dense: the tensor shares the direct buffer (DJL's Java side keeps the buffer alive);
// GPU, sparse and MKLDNN: a copy.
JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchFromBlob(
    JNIEnv* env, jobject, jobject buffer, jlongArray shape, jint dtype, jint layout,
    jintArray device, jboolean grad) {
  BRIDGE_TRY
  void* data = env->GetDirectBufferAddress(buffer);
  if (data == nullptr) {
    throw std::invalid_argument("sltk bridge: torchFromBlob needs a direct ByteBuffer");
  }
  auto sizes = LongVector(env, shape);
  auto dev = ToDevice(env, device);
  auto lay = ToLayout(layout);
  at::Tensor t = at::from_blob(data, sizes, at::TensorOptions().dtype(ToScalarType(dtype)));
  if (lay == c10::kMkldnn) {
    t = t.to_mkldnn();
  } else if (lay == c10::kSparse) {
    t = t.to_sparse();
  }
  if (!dev.is_cpu()) {
    t = t.to(dev, /*non_blocking=*/false, /*copy=*/true);
  }
  if (grad == JNI_TRUE) {
    t.requires_grad_(true);
  }
  return H(t);
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_tensorClone(JNIEnv* env, jobject,
                                                                          jlong h) {
  BRIDGE_TRY
  return H(T(h).clone());
  BRIDGE_CATCH(env, 0)
}

// ------------------------------------------------------------------------- data and props

JNIEXPORT jlongArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSizes(JNIEnv* env,
                                                                              jobject, jlong h) {
  BRIDGE_TRY
  auto s = T(h).sizes();
  return LongArray(env, std::vector<int64_t>(s.begin(), s.end()));
  BRIDGE_CATCH(env, nullptr)
}

JNIEXPORT jbyteArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDataPtr(JNIEnv* env,
                                                                                jobject, jlong h) {
  BRIDGE_TRY
  at::Tensor t = T(h);
  if (t.layout() != c10::kStrided) {
    t = t.to_dense();
  }
  t = t.to(c10::Device(c10::DeviceType::CPU)).contiguous();
  auto n = static_cast<jsize>(t.nbytes());
  jbyteArray out = env->NewByteArray(n);
  if (n > 0) {
    env->SetByteArrayRegion(out, 0, n, static_cast<const jbyte*>(t.data_ptr()));
  }
  return out;
  BRIDGE_CATCH(env, nullptr)
}

// DJL's Java side has already moved the tensor to the CPU and made it contiguous.
JNIEXPORT jobject JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDirectByteBuffer(JNIEnv* env,
                                                                                      jobject,
                                                                                      jlong h) {
  BRIDGE_TRY
  const at::Tensor& t = T(h);
  if (!t.device().is_cpu() || !t.is_contiguous() || t.layout() != c10::kStrided) {
    throw std::invalid_argument(
        "sltk bridge: torchDirectByteBuffer needs a contiguous dense CPU tensor");
  }
  return env->NewDirectByteBuffer(t.data_ptr(), static_cast<jlong>(t.nbytes()));
  BRIDGE_CATCH(env, nullptr)
}

JNIEXPORT jboolean JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIsContiguous(JNIEnv* env,
                                                                                   jobject,
                                                                                   jlong h) {
  BRIDGE_TRY
  return T(h).is_contiguous() ? JNI_TRUE : JNI_FALSE;
  BRIDGE_CATCH(env, JNI_FALSE)
}

JNIEXPORT jint JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDType(JNIEnv* env, jobject,
                                                                        jlong h) {
  BRIDGE_TRY
  return FromScalarType(T(h).scalar_type());
  BRIDGE_CATCH(env, 9)
}

JNIEXPORT jintArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDevice(JNIEnv* env,
                                                                              jobject, jlong h) {
  BRIDGE_TRY
  c10::Device d = T(h).device();
  jint v[2];
  switch (d.type()) {
    case c10::DeviceType::CPU: v[0] = 0; break;
    case c10::DeviceType::CUDA: v[0] = 1; break;
    case c10::DeviceType::MPS: v[0] = 13; break;
    default: throw std::invalid_argument("sltk bridge: unsupported device " + d.str());
  }
  v[1] = d.is_cpu() ? -1 : static_cast<jint>(d.index());
  jintArray out = env->NewIntArray(2);
  env->SetIntArrayRegion(out, 0, 2, v);
  return out;
  BRIDGE_CATCH(env, nullptr)
}

JNIEXPORT jint JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchLayout(JNIEnv* env, jobject,
                                                                         jlong h) {
  BRIDGE_TRY
  auto layout = T(h).layout();
  if (layout == c10::kStrided) return 0;
  if (layout == c10::kSparse) return 1;
  if (layout == c10::kMkldnn) return 2;
  throw std::invalid_argument("sltk bridge: unsupported layout");
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchTo(JNIEnv* env, jobject,
                                                                      jlong h, jint dtype,
                                                                      jintArray device) {
  BRIDGE_TRY
  return H(T(h).to(ToDevice(env, device), ToScalarType(dtype), /*non_blocking=*/false,
                   /*copy=*/false));
  BRIDGE_CATCH(env, 0)
}

// Copies a direct buffer's bytes into the tensor (same dtype and element count).
JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSet(JNIEnv* env, jobject,
                                                                      jlong h, jobject buffer) {
  BRIDGE_TRY
  at::Tensor& t = T(h);
  void* data = env->GetDirectBufferAddress(buffer);
  if (data == nullptr) {
    throw std::invalid_argument("sltk bridge: torchSet needs a direct ByteBuffer");
  }
  jlong capacity = env->GetDirectBufferCapacity(buffer);
  if (capacity >= 0 && static_cast<size_t>(capacity) < t.nbytes()) {
    throw std::invalid_argument("sltk bridge: torchSet: buffer holds " + std::to_string(capacity) +
                                " bytes, the tensor needs " + std::to_string(t.nbytes()));
  }
  at::Tensor src = at::from_blob(data, t.sizes(), at::TensorOptions().dtype(t.scalar_type()));
  c10::NoGradGuard no_grad;
  t.copy_(src);
  BRIDGE_CATCH_VOID(env)
}

// ---------------------------------------------------------------------------------- delete

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDeleteTensor(JNIEnv* env,
                                                                               jobject, jlong h) {
  BRIDGE_TRY
  delete reinterpret_cast<at::Tensor*>(h);
  BRIDGE_CATCH_VOID(env)
}

// -------------------------------------------------------------------------------- indexing
// An index handle is a heap std::vector<at::indexing::TensorIndex>.

using IndexList = std::vector<at::indexing::TensorIndex>;

static IndexList& I(jlong handle) {
  if (handle == 0) {
    throw std::invalid_argument("sltk bridge: null index handle");
  }
  return *reinterpret_cast<IndexList*>(handle);
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexInit(JNIEnv* env, jobject,
                                                                             jint size) {
  BRIDGE_TRY
  auto* list = new IndexList();
  list->reserve(static_cast<size_t>(size > 0 ? size : 0));
  return reinterpret_cast<jlong>(list);
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDeleteIndex(JNIEnv* env,
                                                                              jobject, jlong h) {
  BRIDGE_TRY
  delete reinterpret_cast<IndexList*>(h);
  BRIDGE_CATCH_VOID(env)
}

// nullSliceBinary: bit 1 set = no start, bit 0 set = no end.
JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendSlice(
    JNIEnv* env, jobject, jlong h, jlong min, jlong max, jlong step, jint null_slice_binary) {
  BRIDGE_TRY
  using at::indexing::Slice;
  IndexList& list = I(h);
  int64_t lo = min, hi = max, st = step;
  switch (null_slice_binary) {
    case 0: list.emplace_back(Slice(lo, hi, st)); break;
    case 1: list.emplace_back(Slice(lo, {}, st)); break;
    case 2: list.emplace_back(Slice({}, hi, st)); break;
    case 3: list.emplace_back(Slice({}, {}, st)); break;
    default: throw std::invalid_argument("sltk bridge: bad slice code");
  }
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendFixed(JNIEnv* env,
                                                                                   jobject,
                                                                                   jlong h,
                                                                                   jlong idx) {
  BRIDGE_TRY
  I(h).emplace_back(static_cast<int64_t>(idx));
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendNoneEllipsis(
    JNIEnv* env, jobject, jlong h, jboolean is_ellipsis) {
  BRIDGE_TRY
  if (is_ellipsis == JNI_TRUE) {
    I(h).emplace_back(at::indexing::Ellipsis);
  } else {
    I(h).emplace_back(at::indexing::None);
  }
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendArray(JNIEnv* env,
                                                                                   jobject,
                                                                                   jlong h,
                                                                                   jlong array) {
  BRIDGE_TRY
  I(h).emplace_back(T(array));
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAdvGet(JNIEnv* env,
                                                                               jobject, jlong h,
                                                                               jlong index) {
  BRIDGE_TRY
  return H(T(h).index(I(index)));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAdvPut(JNIEnv* env,
                                                                              jobject, jlong h,
                                                                              jlong index,
                                                                              jlong data) {
  BRIDGE_TRY
  T(h).index_put_(I(index), T(data));
  BRIDGE_CATCH_VOID(env)
}

}  // extern "C"
