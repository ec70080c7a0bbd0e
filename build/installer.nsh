; spikedock NSIS additions (included through electron-builder.yml → nsis.include).
; Adds "Open with spikedock" to the context menu of folders (and of a folder's background), so a
; curator can right-click a Kilosort/phy output folder in Explorer. SHCTX is HKCU for a per-user
; install and HKLM for a per-machine one; the uninstaller removes the keys again.

!macro customInstall
  WriteRegStr SHCTX "Software\Classes\Directory\shell\spikedock" "" "Open with spikedock"
  WriteRegStr SHCTX "Software\Classes\Directory\shell\spikedock" "Icon" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}",0'
  WriteRegStr SHCTX "Software\Classes\Directory\shell\spikedock\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%V"'
  WriteRegStr SHCTX "Software\Classes\Directory\Background\shell\spikedock" "" "Open with spikedock"
  WriteRegStr SHCTX "Software\Classes\Directory\Background\shell\spikedock" "Icon" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}",0'
  WriteRegStr SHCTX "Software\Classes\Directory\Background\shell\spikedock\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%V"'
!macroend

!macro customUnInstall
  DeleteRegKey SHCTX "Software\Classes\Directory\shell\spikedock"
  DeleteRegKey SHCTX "Software\Classes\Directory\Background\shell\spikedock"
!macroend
