// Qt Virtual Keyboard's input panel in Simplified Chinese pinyin mode, embedded in the search
// screen's layout (the floating keyboard window does not appear for widget apps).
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    InputPanel {
        id: panel
        objectName: "inputPanel"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        active: true
    }
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN"]
        VirtualKeyboardSettings.locale = "zh_CN"
    }
}
