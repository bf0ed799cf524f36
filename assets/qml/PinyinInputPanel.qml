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
    // Drive the real input engine the way a tap on a key does (used by tests and the tour).
    function typeLetters(letters) {
        for (var i = 0; i < letters.length; i++) {
            var c = letters[i]
            InputContext.inputEngine.virtualKeyClick(Qt.Key_A + (c.charCodeAt(0) - 97), c, 0)
        }
    }
    function candidates() {
        var model = InputContext.inputEngine.wordCandidateListModel
        var out = []
        for (var i = 0; i < model.count; i++)
            out.push(model.dataAt(i))
        return out
    }
    function selectCandidate(index) {
        InputContext.inputEngine.wordCandidateListModel.selectItem(index)
    }
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN"]
        VirtualKeyboardSettings.locale = "zh_CN"
    }
}
