# A conversion into a folder that holds the last one's outputs replaces
# them: new contents, the usual permissions, nothing left behind; a link
# made to an old output keeps the old file. When an output cannot be put
# in place, everything already replaced is put back as it was.
"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 40 "$SRC"/samples/sunset.png
cp sunset_cyan.stl old_cyan
ln sunset.3mf old_3mf_link
"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 30 "$SRC"/samples/sunset.png
cmp -s sunset_cyan.stl old_cyan && echo "cyan STL not replaced"
cmp -s sunset.3mf old_3mf_link && echo "3MF not replaced"
python3 -c "import zipfile, sys; zipfile.ZipFile(sys.argv[1]).testzip()" old_3mf_link ||
    echo "linked old 3MF damaged"
stat -c '%A %n' sunset*
ls -A | grep -c '^\.filastack' || true
# The preview's name taken by a folder: the conversion fails, and the
# outputs it had replaced before it met the folder are the old ones again.
cp sunset_cyan.stl kept_cyan
rm sunset_preview.png && mkdir sunset_preview.png
"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 40 "$SRC"/samples/sunset.png
echo "exit $?"
cmp -s sunset_cyan.stl kept_cyan || echo "cyan STL not put back"
ls -A | grep -c '^\.filastack' || true
