# expect-error
# Indexing past the end of a ParamValueList raises IndexError.
import OpenImageIO as oiio

pl = oiio.ParamValueList()
pl.attribute("only", 1)
print("len:", len(pl), "first:", pl[0].name)
print(pl[99].name)
