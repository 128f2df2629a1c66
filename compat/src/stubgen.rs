//! Stub generation (feature `stubgen`): where the `.pyi` files go, the stub
//! types of our argument wrappers, and the overloaded signatures that PyO3's
//! `*args` entry points cannot describe themselves.

// `gen_methods_from_python!` finds the Rust type by the Python class name.
use crate::oiio::deepdata::PyDeepData as DeepData;
use crate::oiio::imagebuf::PyImageBuf as ImageBuf;
use crate::oiio::imageio::{PyImageInput as ImageInput, PyImageOutput as ImageOutput};
use crate::oiio::imagespec::PyImageSpec as ImageSpec;
use crate::oiio::paramvalue::{PyParamValue as ParamValue, PyParamValueList as ParamValueList};
use crate::oiio::roi::PyRoi as ROI;
use crate::oiio::typedesc::{PyTypeDesc as TypeDesc, TypeDescArg};
use crate::oiio::values::Int;
use pyo3_stub_gen::derive::gen_methods_from_python;
use pyo3_stub_gen::{inventory::submit, PyStubType, StubInfo, TypeInfo};

/// Stub layout from the workspace's pyproject.toml (python-source, module name).
pub fn stub_info() -> pyo3_stub_gen::Result<StubInfo> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    StubInfo::from_pyproject_toml(root.join("pyproject.toml"))
}

impl PyStubType for TypeDescArg {
    fn type_output() -> TypeInfo {
        TypeInfo::unqualified("TypeDesc | BASETYPE | str")
    }
}

impl<T> PyStubType for Int<T> {
    fn type_output() -> TypeInfo {
        TypeInfo::builtin("int")
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class TypeDesc:
            @typing.overload
            def __init__(self) -> None: ...
            @typing.overload
            def __init__(self, arg: TypeDesc | BASETYPE | str, /) -> None: ...
            @typing.overload
            def __init__(self, arg0: BASETYPE, arg1: AGGREGATE, /) -> None: ...
            @typing.overload
            def __init__(self, arg0: BASETYPE, arg1: AGGREGATE, arg2: VECSEMANTICS, /) -> None: ...
            @typing.overload
            def __init__(self, arg0: BASETYPE, arg1: AGGREGATE, arg2: VECSEMANTICS, arg3: int, /) -> None: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ROI:
            @typing.overload
            def __init__(self) -> None: ...
            @typing.overload
            def __init__(self, arg0: int, arg1: int, arg2: int, arg3: int, /) -> None: ...
            @typing.overload
            def __init__(self, arg0: int, arg1: int, arg2: int, arg3: int, arg4: int, arg5: int, /) -> None: ...
            @typing.overload
            def __init__(self, arg0: int, arg1: int, arg2: int, arg3: int, arg4: int, arg5: int, arg6: int, arg7: int, /) -> None: ...
            @typing.overload
            def __init__(self, arg: ROI, /) -> None: ...
            @typing.overload
            def contains(self, x: int, y: int, z: int = 0, ch: int = 0) -> bool: ...
            @typing.overload
            def contains(self, other: ROI) -> bool: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ParamValue:
            @typing.overload
            def __init__(self, name: str, value: int | float | str, /) -> None: ...
            @typing.overload
            def __init__(self, name: str, type: TypeDesc | BASETYPE | str, value: typing.Any) -> None: ...
            @typing.overload
            def __init__(self, name: str, type: TypeDesc | BASETYPE | str, nvalues: int, interp: Interp, value: typing.Any) -> None: ...
            @property
            def __len__(self) -> int: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ParamValueList:
            @typing.overload
            def __getitem__(self, arg: int, /) -> ParamValue: ...
            @typing.overload
            def __getitem__(self, arg: str, /) -> typing.Any: ...
            @typing.overload
            def attribute(self, name: str, val: int | float | str | bytes) -> None: ...
            @typing.overload
            def attribute(self, name: str, type: TypeDesc | BASETYPE | str, val: typing.Any, /) -> None: ...
            @typing.overload
            def attribute(self, name: str, type: TypeDesc | BASETYPE | str, nvalues: int, val: typing.Any, /) -> None: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ImageSpec:
            @typing.overload
            def __init__(self) -> None: ...
            @typing.overload
            def __init__(self, arg0: int, arg1: int, arg2: int, arg3: TypeDesc | BASETYPE | str, /) -> None: ...
            @typing.overload
            def __init__(self, arg0: ROI, arg1: TypeDesc | BASETYPE | str, /) -> None: ...
            @typing.overload
            def __init__(self, arg: TypeDesc | BASETYPE | str, /) -> None: ...
            @typing.overload
            def __init__(self, arg: ImageSpec, /) -> None: ...
            @typing.overload
            def attribute(self, name: str, value: int | float | str | bytes, /) -> None: ...
            @typing.overload
            def attribute(self, name: str, type: TypeDesc | BASETYPE | str, value: typing.Any, /) -> None: ...
            @typing.overload
            def channel_bytes(self) -> int: ...
            @typing.overload
            def channel_bytes(self, channel: int, native: bool = False) -> int: ...
            @typing.overload
            def pixel_bytes(self, native: bool = False) -> int: ...
            @typing.overload
            def pixel_bytes(self, chbegin: int, chend: int, native: bool = False) -> int: ...
            @typing.overload
            def scanline_bytes(self, native: bool = False) -> int: ...
            @typing.overload
            def scanline_bytes(self, native: TypeDesc | BASETYPE | str) -> int: ...
            @typing.overload
            def tile_bytes(self, native: bool = False) -> int: ...
            @typing.overload
            def tile_bytes(self, native: TypeDesc | BASETYPE | str) -> int: ...
            @typing.overload
            def image_bytes(self, native: bool = False) -> int: ...
            @typing.overload
            def image_bytes(self, native: TypeDesc | BASETYPE | str) -> int: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ImageBuf:
            @typing.overload
            def __init__(self) -> None: ...
            @typing.overload
            def __init__(self, spec: ImageSpec, zero: bool = True) -> None: ...
            @typing.overload
            def __init__(self, buffer: typing.Any) -> None: ...
            @typing.overload
            def setpixel(self, x: int, y: int, z: int, pixel: typing.Any) -> None: ...
            @typing.overload
            def setpixel(self, x: int, y: int, pixel: typing.Any) -> None: ...
            @typing.overload
            def setpixel(self, i: int, pixel: typing.Any) -> None: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ImageInput:
            @typing.overload
            def read_image(self, subimage: int, miplevel: int, chbegin: int, chend: int, format: TypeDesc | BASETYPE | str = ...) -> typing.Any: ...
            @typing.overload
            def read_image(self, chbegin: int, chend: int, format: TypeDesc | BASETYPE | str = ...) -> typing.Any: ...
            @typing.overload
            def read_image(self, format: TypeDesc | BASETYPE | str = ...) -> typing.Any: ...
            @typing.overload
            def read_scanlines(self, subimage: int, miplevel: int, ybegin: int, yend: int, z: int, chbegin: int, chend: int, format: TypeDesc | BASETYPE | str = ...) -> typing.Any: ...
            @typing.overload
            def read_scanlines(self, ybegin: int, yend: int, z: int, chbegin: int, chend: int, format: TypeDesc | BASETYPE | str = ...) -> typing.Any: ...
            @typing.overload
            def read_tiles(self, subimage: int, miplevel: int, xbegin: int, xend: int, ybegin: int, yend: int, zbegin: int, zend: int, chbegin: int, chend: int, format: TypeDesc | BASETYPE | str = ...) -> typing.Any: ...
            @typing.overload
            def read_tiles(self, xbegin: int, xend: int, ybegin: int, yend: int, zbegin: int, zend: int, chbegin: int, chend: int, format: TypeDesc | BASETYPE | str = ...) -> typing.Any: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ImageOutput:
            @typing.overload
            def open(self, filename: str, spec: ImageSpec, mode: str = "Create") -> bool: ...
            @typing.overload
            def open(self, filename: str, specs: typing.Sequence[ImageSpec]) -> bool: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class DeepData:
            @typing.overload
            def init(self, npixels: int, nchannels: int, channeltypes: typing.Any, channelnames: typing.Any) -> None: ...
            @typing.overload
            def init(self, spec: ImageSpec, /) -> None: ...
        "#
    }
}

submit! {
    gen_methods_from_python! {
        r#"
        import typing
        class ImageBuf:
            @typing.overload
            def read(self, subimage: int, miplevel: int, chbegin: int, chend: int, force: bool, convert: TypeDesc | BASETYPE | str) -> bool: ...
            @typing.overload
            def read(self, subimage: int = 0, miplevel: int = 0, force: bool = False, convert: TypeDesc | BASETYPE | str = ...) -> bool: ...
            @typing.overload
            def write(self, filename: str, dtype: TypeDesc | BASETYPE | str = ..., fileformat: str = "") -> bool: ...
            @typing.overload
            def write(self, out: ImageOutput) -> bool: ...
        "#
    }
}
