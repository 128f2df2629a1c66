# The extra_attribs ParamValueList: indexing, iteration, assignment.
import OpenImageIO as oiio

s = oiio.ImageSpec(4, 4, 3, "float")
s.attribute("b_int", 2)
s.attribute("a_str", "text")
s.attribute("c_float", 0.5)
s.attribute("d_col", oiio.TypeColor, (1, 0.5, 0))
ea = s.extra_attribs
print("type:", type(ea).__name__, "len:", len(ea))
for i in range(len(ea)):
    p = ea[i]
    print(i, p.name, p.type, repr(p.value))
print("iteration:", [p.name for p in s.extra_attribs])
print("ea['a_str']:", ea["a_str"])
print("'c_float' in ea:", "c_float" in ea)

# Does changing the returned extra_attribs list change the spec?
ea.attribute("only_in_copy", 1)
print("copy change visible in spec:", "only_in_copy" in s, len(s.extra_attribs))

repl = oiio.ParamValueList()
repl.attribute("replaced", "yes")
repl.attribute("n", 5)
s.extra_attribs = repl
print("after assignment len:", len(s.extra_attribs))
print("replaced =", s.get_string_attribute("replaced", ""), "n =", s.get_int_attribute("n"))
print("old attribute gone:", "b_int" not in s)
repl.attribute("later", 1)
print("later change to source visible:", "later" in s)
s.extra_attribs = oiio.ParamValueList()
print("after assigning empty list:", len(s.extra_attribs), s.serialize("text", "detailed"))
try:
    s.extra_attribs = [1, 2]
except Exception as e:
    print("assign list ->", type(e).__name__)
try:
    print(s.extra_attribs[5])
except IndexError:
    print("index out of range -> IndexError")
