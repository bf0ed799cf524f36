<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
    <context>
        <name>AttractScreen</name>
        <message>
            <location filename="../../screens/attract.py" line="76" />
            <source>24-hour government self-service</source>
            <translation>政務服務 24 小時自助終端</translation>
        </message>
        <message>
            <location filename="../../screens/attract.py" line="77" />
            <source>Popular services</source>
            <translation>高頻事項</translation>
        </message>
        <message>
            <location filename="../../screens/attract.py" line="78" />
            <source>Touch the screen to start</source>
            <translation>請觸控螢幕開始辦理</translation>
        </message>
        <message>
            <source>Print certificates · Check social insurance, medical insurance and housing fund · Take a queue number · Service guides</source>
            <translation>打印證明 · 查詢社保、醫保、公積金 · 現場取號 · 辦事指南</translation>
        </message>
        <message>
            <source>How to do it: {item}</source>
            <translation>操作指引：{item}</translation>
        </message>
    </context>
    <context>
        <name>CategoryScreen</name>
        <message>
            <location filename="../../screens/browse.py" line="139" />
            <source>‹ Previous page</source>
            <translation>‹ 上一頁</translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="140" />
            <source>Next page ›</source>
            <translation>下一頁 ›</translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="144" />
            <source>Page {page} of {pages}</source>
            <translation>第 {page} / {pages} 頁</translation>
        </message>
        <message>
            <source>Choose a service to read its guide.</source>
            <translation>請選擇事項查看辦事指南。</translation>
        </message>
    </context>
    <context>
        <name>CountdownOverlay</name>
        <message numerus="yes">
            <location filename="../../screens/widgets/chrome.py" line="290" />
            <source>%n second(s) left</source>
            <translation>
                <numerusform>還剩 %n 秒</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="294" />
            <source>Are you still there?</source>
            <translation>您還在嗎？</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="295" />
            <source>For your privacy, everything you entered will be cleared and the terminal will return to the start screen.</source>
            <translation>為保護您的隱私，您輸入的所有內容將被清除，終端將返回首頁。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="300" />
            <source>I'm still here</source>
            <translation>我還在，繼續辦理</translation>
        </message>
    </context>
    <context>
        <name>DemoSimulatorPanel</name>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="79" />
            <source>Demo simulator (not for citizens)</source>
            <translation>演示模擬器（僅供演示，不面向群眾）</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="84" />
            <source>Demo citizens</source>
            <translation>演示群眾</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="90" />
            <source>Insert ID card</source>
            <translation>放身份證</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="102" />
            <source>ID card reader</source>
            <translation>身份證閱讀器</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="106" />
            <source>Insert expired card</source>
            <translation>放過期身份證</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="108" />
            <source>Remove card</source>
            <translation>拿走身份證</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="110" />
            <source>Next read: reader hangs</source>
            <translation>下次讀卡：閱讀器無響應</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="113" />
            <source>Next read: partial data</source>
            <translation>下次讀卡：只讀到部分信息</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="116" />
            <source>Next read: unreadable card</source>
            <translation>下次讀卡：卡片無法識讀</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="119" />
            <source>Unplug reader</source>
            <translation>拔下閱讀器</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="121" />
            <source>Plug reader in</source>
            <translation>插上閱讀器</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="127" />
            <source>Scan a QR code that is no ID</source>
            <translation>掃非證照二維碼</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="136" />
            <source>Receipt printer (virtual)</source>
            <translation>憑條打印機（虛擬）</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="141" />
            <source>Paper out</source>
            <translation>缺紙</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="143" />
            <source>Cover open</source>
            <translation>紙倉蓋打開</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="145" />
            <source>Paper low</source>
            <translation>紙將用完</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="147" />
            <source>Paper back, printer OK</source>
            <translation>已裝紙，打印機正常</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="177" />
            <source>Card placed: {name}</source>
            <translation>已放卡：{name}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="184" />
            <source>Expired card placed: {name}</source>
            <translation>已放過期卡：{name}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="189" />
            <source>QR code scanned: {name}</source>
            <translation>已掃碼：{name}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="195" />
            <source>Card removed</source>
            <translation>已拿走身份證</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="200" />
            <source>The next read will fail: {fault}</source>
            <translation>下次讀卡將失敗：{fault}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="206" />
            <source>Reader unplugged</source>
            <translation>閱讀器已拔下</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="211" />
            <source>Reader plugged in</source>
            <translation>閱讀器已插上</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="216" />
            <source>Printer state: {state}</source>
            <translation>打印機狀態：{state}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="222" />
            <source>Demo simulator</source>
            <translation>演示模擬器</translation>
        </message>
        <message>
            <source>Camera (face check)</source>
            <translation>攝像頭（人臉核驗）</translation>
        </message>
        <message>
            <source>Face: the card's holder</source>
            <translation>人臉：證件本人</translation>
        </message>
        <message>
            <source>Face: someone else</source>
            <translation>人臉：他人</translation>
        </message>
        <message>
            <source>Face: a photo held up</source>
            <translation>人臉：手持照片</translation>
        </message>
        <message>
            <source>Face: nobody there</source>
            <translation>人臉：無人</translation>
        </message>
        <message>
            <source>Camera unplugged</source>
            <translation>拔出攝像頭</translation>
        </message>
        <message>
            <source>Camera: {mode}</source>
            <translation>攝像頭：{mode}</translation>
        </message>
        <message>
            <source>QR code: number only</source>
            <translation>二維碼：僅身份證號</translation>
        </message>
        <message>
            <source>Phone: e-credential</source>
            <translation>手機：電子身份憑證</translation>
        </message>
        <message>
            <source>Phone: asking for an e-credential for {name}…</source>
            <translation>手機：正在為 {name} 獲取電子身份憑證…</translation>
        </message>
        <message>
            <source>Phone: no e-credential came (is the backend running?)</source>
            <translation>手機：未獲取到電子身份憑證（後端是否在運行？）</translation>
        </message>
        <message>
            <source>E-credential shown: {name}</source>
            <translation>已出示電子身份憑證：{name}</translation>
        </message>
    </context>
    <context>
        <name>DepartmentScreen</name>
        <message numerus="yes">
            <location filename="../../screens/browse.py" line="52" />
            <source>%n service(s). Choose a category.</source>
            <translation>
                <numerusform>共 %n 個事項，請選擇分類。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/browse.py" line="58" />
            <source>%n service(s)</source>
            <translation>
                <numerusform>%n 個事項</numerusform>
            </translation>
        </message>
        <message>
            <source>Choose a category.</source>
            <translation>請選擇分類。</translation>
        </message>
    </context>
    <context>
        <name>FlowScreen</name>
        <message>
            <location filename="../../screens/flow.py" line="51" />
            <source>Social insurance enrolment certificate</source>
            <translation>社保參保證明打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="52" />
            <source>Social insurance contribution history</source>
            <translation>社保繳費明細查詢</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="53" />
            <source>Medical insurance account and spending</source>
            <translation>醫保個人賬戶餘額與消費明細查詢</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="54" />
            <source>Medical insurance enrolment certificate</source>
            <translation>醫保參保憑證打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="55" />
            <source>Housing provident fund deposits</source>
            <translation>公積金繳存查詢</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="56" />
            <source>Real estate registration records</source>
            <translation>不動產登記信息查詢</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="57" />
            <source>Certificate of no registered property</source>
            <translation>無房證明開具</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="58" />
            <source>Take a queue number</source>
            <translation>現場取號</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="59" />
            <source>Print a service guide</source>
            <translation>打印辦事指南</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="65" />
            <source>Your social insurance enrolment and contribution records</source>
            <translation>您的社會保險參保和繳費記錄</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="67" />
            <source>Your medical insurance account balance and spending</source>
            <translation>您的醫保個人賬戶餘額和消費明細</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="69" />
            <source>Your housing provident fund account and deposits</source>
            <translation>您的住房公積金賬戶和繳存記錄</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="70" />
            <source>The real estate registered in your name</source>
            <translation>登記在您名下的不動產</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="77" />
            <source>Social insurance enrolment certificate (A4)</source>
            <translation>社會保險參保證明（A4 紙）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="78" />
            <source>Social insurance contribution statement (A4)</source>
            <translation>社會保險個人繳費明細（A4 紙）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="79" />
            <source>Medical insurance account statement (A4)</source>
            <translation>醫療保險個人賬戶明細（A4 紙）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="80" />
            <source>Medical insurance enrolment certificate (A4)</source>
            <translation>醫療保險參保憑證（A4 紙）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="81" />
            <source>Housing provident fund deposit certificate (A4)</source>
            <translation>住房公積金繳存證明（A4 紙）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="82" />
            <source>Real estate registration query result (A4)</source>
            <translation>不動產登記信息查詢結果（A4 紙）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="83" />
            <source>Certificate of no registered property (A4)</source>
            <translation>無房產登記證明（A4 紙）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="84" />
            <source>Queue ticket</source>
            <translation>排隊號憑條</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="85" />
            <source>Service guide slip</source>
            <translation>辦事指南憑條</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="91" />
            <source>Identify yourself</source>
            <translation>核驗身份</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="92" />
            <source>Agree</source>
            <translation>授權確認</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="93" />
            <source>Choose</source>
            <translation>選擇</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="94" />
            <source>Look up</source>
            <translation>查詢</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="95" />
            <source>Your records</source>
            <translation>查詢結果</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="96" />
            <source>Check before printing</source>
            <translation>打印預覽</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="97" />
            <location filename="../../screens/flow.py" line="704" />
            <source>Print</source>
            <translation>打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="98" />
            <source>Rate the service</source>
            <translation>服務評價</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="99" />
            <location filename="../../screens/flow.py" line="761" />
            <source>Done</source>
            <translation>辦理完成</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="105" />
            <source>The printer has run out of paper.</source>
            <translation>打印機缺紙了。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="106" />
            <source>The printer is almost out of paper.</source>
            <translation>打印機紙張快用完了。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="107" />
            <source>The printer's cover is open.</source>
            <translation>打印機的蓋子沒有關好。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="108" />
            <source>The printer is not responding.</source>
            <translation>打印機沒有響應。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="109" />
            <source>This terminal has no printer for this document.</source>
            <translation>本機沒有打印這種材料的打印機。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="110" />
            <source>The paper is jammed in the printer.</source>
            <translation>打印機卡紙了。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="111" />
            <source>The printer is not working right now.</source>
            <translation>打印機暫時不能使用。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="119" />
            <source>This service is not available on this terminal now</source>
            <translation>本機暫時不能辦理這項業務</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="120" />
            <source>You can do it online with your phone, or at the staffed window.</source>
            <translation>您可以用手機掃碼在網上辦理，或到人工窗口辦理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="122" />
            <source>The service system cannot be reached right now</source>
            <translation>業務系統暫時連接不上</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="123" />
            <source>Nothing you have done is lost. Try again in a moment, do it online with your phone, or go to the staffed window.</source>
            <translation>您已經辦好的步驟都還在。請稍後重試，也可以用手機掃碼在網上辦理，或到人工窗口辦理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="126" />
            <source>The service system could not handle this request</source>
            <translation>業務系統未能受理這次請求</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="127" />
            <location filename="../../screens/flow.py" line="151" />
            <source>Please go to the staffed window; staff will help you.</source>
            <translation>請到人工窗口，工作人員會幫您辦理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="129" />
            <source>No records were found for this ID number</source>
            <translation>沒有查到這個身份證號碼的記錄</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="130" />
            <source>Check the number, or ask at the staffed window.</source>
            <translation>請核對號碼，或到人工窗口諮詢。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="132" />
            <source>You have no account for this service</source>
            <translation>您沒有開立這項業務的賬戶</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="133" />
            <source>If you think this is wrong, ask at the staffed window.</source>
            <translation>如果您認為有誤，請到人工窗口諮詢。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="135" />
            <source>This certificate cannot be issued for you</source>
            <translation>不能為您開具這份證明</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="136" />
            <source>Real estate is registered in your name, so a certificate of no property cannot be issued. You can print your registration records instead.</source>
            <translation>您名下登記有不動產，所以不能開具無房證明。您可以改為打印不動產登記信息查詢結果。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="141" />
            <source>Printing is paused on this terminal. You can do it online with your phone, or at the staffed window.</source>
            <translation>本機暫停打印。您可以用手機掃碼在網上辦理，或到人工窗口辦理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="145" />
            <source>Your document did not print. Try again, or go to the staffed window; nothing you have done is lost.</source>
            <translation>您的材料沒有打印出來。請重試，或到人工窗口辦理；您已經辦好的步驟都還在。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="148" />
            <source>This service guide is no longer available</source>
            <translation>這份辦事指南已經下線</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="149" />
            <source>Please ask at the staffed window.</source>
            <translation>請到人工窗口諮詢。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="150" />
            <source>Something went wrong on this terminal</source>
            <translation>本機出現了問題</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="570" />
            <source>Step {n} of {total}: {step}</source>
            <translation>第 {n} 步，共 {total} 步：{step}</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="573" />
            <source>ID: {masked}</source>
            <translation>身份證：{masked}</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="606" />
            <source>To do this, the terminal will look up, with your ID number:</source>
            <translation>辦理這項業務，本機將用您的身份證號碼查詢：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="612" />
            <source>If you choose to print, it will print:</source>
            <translation>如果您選擇打印，將打印：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="613" />
            <source>It will then print:</source>
            <translation>然後將打印：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="615" />
            <source>Your data is used only for this and is not kept on this terminal. When you finish or leave, the screen is cleared.</source>
            <translation>您的信息只用於本次辦理，不會保存在本機。辦完或離開後，屏幕上的信息會全部清除。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="622" />
            <source>Choose the business you came for:</source>
            <translation>請選擇您要辦理的業務：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="644" />
            <source>Preparing your document…</source>
            <translation>正在準備您的材料…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="645" />
            <source>This takes a few seconds.</source>
            <translation>需要幾秒鐘。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="647" />
            <source>Looking up your records…</source>
            <translation>正在查詢您的記錄…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="648" />
            <source>This usually takes a few seconds. Please wait.</source>
            <translation>通常需要幾秒鐘，請稍候。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="650" />
            <source>Stop and go back</source>
            <translation>停止並返回</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="667" />
            <source>Print or finish</source>
            <translation>打印或結束</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="668" />
            <source>Next</source>
            <translation>下一步</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="675" />
            <source>There is nothing to print for your selection.</source>
            <translation>您選擇的範圍內沒有可以打印的內容。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="678" />
            <source>This is what will be printed: {document}. The verification code is added when it prints.</source>
            <translation>將要打印的是：{document}。驗證碼在打印時生成。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="682" />
            <source>This will be printed on a slip: {document}.</source>
            <translation>將打印一張憑條：{document}。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="705" />
            <source>Continue</source>
            <translation>繼續</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="706" />
            <source>Do not print</source>
            <translation>不打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="714" />
            <source>Printing your document…</source>
            <translation>正在打印您的材料…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="715" />
            <source>Please wait by the A4 printer outlet and take your papers.</source>
            <translation>請在 A4 出紙口等候並取走您的材料。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="718" />
            <source>Printing your slip…</source>
            <translation>正在打印憑條…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="719" />
            <source>Please take it from the slip outlet.</source>
            <translation>請從憑條出口取走。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="732" />
            <source>Scan to do it online</source>
            <translation>掃碼在網上辦理</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="735" />
            <source>Or go to: {place}</source>
            <translation>或前往：{place}</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="738" />
            <source>Try again</source>
            <translation>重試</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="740" />
            <source>Continue without printing</source>
            <translation>不打印，繼續</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="742" />
            <source>Back</source>
            <translation>返回上一步</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="744" />
            <source>Back to the start</source>
            <translation>回到首頁</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="753" />
            <source>Your number: {number} ({business}), {ahead} waiting before you</source>
            <translation>您的排隊號：{number}（{business}），前面還有 {ahead} 人</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="763" />
            <source>Please take your papers. Thank you for using the self-service terminal.</source>
            <translation>請取走您的材料。感謝您使用自助終端。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="767" />
            <source>Thank you for using the self-service terminal.</source>
            <translation>感謝您使用自助終端。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="770" />
            <source>Do something else</source>
            <translation>繼續辦理其他業務</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="771" />
            <source>Finish and leave</source>
            <translation>結束並退出</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="806" />
            <source>I agree, continue</source>
            <translation>同意並繼續</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="807" />
            <source>I do not agree</source>
            <translation>不同意</translation>
        </message>
        <message>
            <source>The service system could not confirm who you are</source>
            <translation>業務系統未能確認您的身份</translation>
        </message>
        <message>
            <source>Please go back and identify yourself again with your ID card or the e-credential QR code, or go to the staffed window.</source>
            <translation>請返回後重新使用身份證或電子身份憑證動態碼核驗身份，或前往人工窗口辦理。</translation>
        </message>
        <message>
            <source>This terminal cannot look up more records right now</source>
            <translation>本機暫時無法繼續查詢</translation>
        </message>
        <message>
            <source>Please do it at the staffed window, or online with your phone. Sorry for the trouble.</source>
            <translation>請到人工窗口辦理，或用手機在網上辦理。給您帶來不便，敬請諒解。</translation>
        </message>
        <message>
            <source>Who looked up your records recently: when, where and how</source>
            <translation>近期誰查詢過您的信息：時間、地點和核驗方式</translation>
        </message>
        <message>
            <source>Who looked at my records</source>
            <translation>近期查詢記錄</translation>
        </message>
        <message>
            <source>How to do this</source>
            <translation>操作指引</translation>
        </message>
    </context>
    <context>
        <name>GuideScreen</name>
        <message>
            <location filename="../../screens/guide.py" line="100" />
            <source>Scan with your phone to take this guide with you</source>
            <translation>手機掃碼，把辦事指南帶回家</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="101" />
            <source>Print this guide</source>
            <translation>打印辦事指南</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="105" />
            <source>Do it here now</source>
            <translation>在本機辦理</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="108" />
            <source>Materials to bring</source>
            <translation>申請材料</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="109" />
            <source>Steps</source>
            <translation>辦理流程</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="110" />
            <source>Where to go</source>
            <translation>辦理地點</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="111" />
            <source>Who can apply</source>
            <translation>服務對象</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="112" />
            <source>Legal basis</source>
            <translation>設定依據</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="125" />
            <source>Time limit: {promised} (legal limit {legal})</source>
            <translation>承諾時限：{promised}（法定時限：{legal}）</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="127" />
            <source>Fee: {fee}</source>
            <translation>收費標準：{fee}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="128" />
            <source>original ×{n}</source>
            <translation>原件 ×{n}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="129" />
            <source>copy ×{n}</source>
            <translation>複印件 ×{n}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="143" />
            <source>Hours: {hours}</source>
            <translation>辦理時間：{hours}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="144" />
            <source>Phone: {phone}</source>
            <translation>諮詢電話：{phone}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="152" />
            <source>on the spot</source>
            <translation>即時辦結</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/guide.py" line="153" />
            <source>%n working day(s)</source>
            <translation>
                <numerusform>%n 個工作日</numerusform>
            </translation>
        </message>
        <message>
            <source>This is the service guide. Scan the QR code to take it with you.</source>
            <translation>這是辦事指南，掃描二維碼即可帶走。</translation>
        </message>
        <message>
            <source>How to do this</source>
            <translation>操作指引</translation>
        </message>
    </context>
    <context>
        <name>HomeScreen</name>
        <message>
            <location filename="../../screens/home.py" line="81" />
            <source>What would you like to do?</source>
            <translation>您要辦理什麼業務？</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="82" />
            <source>Take a queue number</source>
            <translation>現場取號</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="85" />
            <source>(printing paused)</source>
            <translation>（打印暫停服務）</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="91" />
            <source>Search services: type pinyin initials, e.g. sbcb</source>
            <translation>搜索事項：輸入拼音首字母，如 sbcb</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="93" />
            <source>Search services</source>
            <translation>搜索事項</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="94" />
            <source>Popular services</source>
            <translation>高頻事項</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="95" />
            <source>Services by department</source>
            <translation>按部門查找</translation>
        </message>
        <message>
            <source>(service system offline)</source>
            <translation>（業務系統暫時無法連接）</translation>
        </message>
        <message>
            <source>Choose a service, a department, or search.</source>
            <translation>請選擇事項、部門，或搜索。</translation>
        </message>
        <message>
            <source>Elder mode is on (tap to turn off)</source>
            <translation>長輩模式已開啟（點此關閉）</translation>
        </message>
        <message>
            <source>Elder mode: larger text, higher contrast, more time</source>
            <translation>長輩模式：大字體、高對比度、更長時間</translation>
        </message>
        <message>
            <source>Elder mode</source>
            <translation>長輩模式</translation>
        </message>
    </context>
    <context>
        <name>IdNumberPad</name>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="16" />
            <source>The number is complete. Tap Confirm.</source>
            <translation>號碼已輸完整，請點“確認”。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/widgets/numpad.py" line="19" />
            <source>%n more character(s) to type.</source>
            <translation>
                <numerusform>還需輸入 %n 位。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="21" />
            <source>An ID number has 18 characters.</source>
            <translation>身份證號碼共 18 位。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="23" />
            <source>X can only be the last character.</source>
            <translation>X 只能是最後一位。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="25" />
            <source>The first two digits are not a province. Please check them.</source>
            <translation>前兩位不是有效的省份代碼，請核對。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="27" />
            <source>Digits 7 to 14 are not a date of birth. Please check them.</source>
            <translation>第 7 至 14 位不是有效的出生日期，請核對。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="28" />
            <source>The last character does not match: one digit is probably mistyped. Please check the number.</source>
            <translation>最後一位校驗碼不符，可能有數字輸錯，請核對號碼。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="90" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="91" />
            <source>Confirm</source>
            <translation>確認</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="92" />
            <source>Delete last character</source>
            <translation>刪除一位</translation>
        </message>
    </context>
    <context>
        <name>IdentifyPanel</name>
        <message>
            <location filename="../../screens/widgets/identify.py" line="156" />
            <source>Waiting for your card</source>
            <translation>等待放入身份證</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="158" />
            <source>Reading your card…</source>
            <translation>正在讀卡…</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="160" />
            <source>Your card has been read</source>
            <translation>讀卡成功</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="162" />
            <source>The card reader did not respond</source>
            <translation>讀卡器沒有反應</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="164" />
            <source>The card was moved too soon</source>
            <translation>讀卡時身份證被移動了</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="166" />
            <source>The card was not read completely</source>
            <translation>身份證信息沒有讀全</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="168" />
            <source>This card could not be read</source>
            <translation>這張身份證讀不出來</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="170" />
            <source>This ID card has expired</source>
            <translation>這張身份證已過有效期</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="172" />
            <source>The card reader is not working</source>
            <translation>讀卡器暫時不能使用</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="179" />
            <source>Lay the card flat on the reader and leave it there until it has been read.</source>
            <translation>請把身份證平放在感應區上，讀完之前不要拿開。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="182" />
            <source>Please keep the card still.</source>
            <translation>請不要移動身份證。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="184" />
            <source>Thank you. Please remember to take your card with you.</source>
            <translation>謝謝！請記得取回您的身份證。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="187" />
            <source>Please take the card away, wait a moment, then place it on the reader again.</source>
            <translation>請先拿開身份證，稍等一會兒，再重新放到感應區上。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="190" />
            <source>Please place the card steadily, do not move it, and try again.</source>
            <translation>請把身份證放穩，不要移動，再試一次。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="194" />
            <source>Take the card away and place it again in the middle of the reader. If it still does not work, type your ID number instead.</source>
            <translation>請拿開身份證，再放到感應區正中間。如果還是不行，可以點“手動輸入身份證號”。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="197" />
            <source>Take the card away and place it again in the middle of the reader. If it still does not work, please ask at the staffed window.</source>
            <translation>請拿開身份證，再放到感應區正中間。如果還是不行，請到人工窗口辦理。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="201" />
            <source>An expired card cannot be used here. Please use a valid ID card, or ask at the staffed window.</source>
            <translation>過期的身份證不能在這裡使用。請換用有效的身份證，或到人工窗口辦理。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="205" />
            <source>Please type your ID number below, or show your electronic ID QR code.</source>
            <translation>請在下方輸入身份證號，或出示電子證照二維碼。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="208" />
            <source>Please type your ID number below.</source>
            <translation>請在下方輸入身份證號。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="210" />
            <source>Please show your electronic ID QR code to the scanner.</source>
            <translation>請將電子證照二維碼對準掃碼口。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="212" />
            <source>Please ask at the staffed window. Sorry for the trouble.</source>
            <translation>請到人工窗口辦理，給您添麻煩了。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="222" />
            <source>This QR code is not an electronic ID. Please open the QR code of your electronic ID card and hold it to the scanner.</source>
            <translation>這個二維碼不是電子證照。請打開電子身份證的二維碼，對準掃碼口。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="225" />
            <source>A QR code cannot be used for this service. Please use one of the ways shown on the screen.</source>
            <translation>這項業務不能用二維碼辦理，請按屏幕上的方式核驗身份。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="227" />
            <source>The ID number in this QR code is not valid. Please use your ID card, or type the number.</source>
            <translation>二維碼裡的身份證號不正確，請改用身份證，或手動輸入身份證號。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="469" />
            <source>Please place your ID card on the reader</source>
            <translation>請將身份證放在感應區</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="472" />
            <source>Please type your ID number</source>
            <translation>請輸入身份證號</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="474" />
            <source>Please show your electronic ID QR code</source>
            <translation>請出示電子證照二維碼</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="488" />
            <source>Or show your electronic ID QR code (hold it to the scanner)</source>
            <translation>或出示電子證照二維碼（對準掃碼口）</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="491" />
            <source>Hold the QR code to the scanner window</source>
            <translation>請將二維碼對準掃碼口</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="498" />
            <source>Use the ID card instead</source>
            <translation>改用身份證</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="499" />
            <source>Type the ID number by hand</source>
            <translation>手動輸入身份證號</translation>
        </message>
        <message>
            <source>This QR code only shows an ID number, which is not enough to open your records. Please use your ID card, or the e-credential QR code in your government services app.</source>
            <translation>這個二維碼只有身份證號碼，不能用來查詢您的個人信息。請使用身份證，或政務服務 App 中的電子身份憑證動態碼。</translation>
        </message>
        <message>
            <source>Or show the e-credential QR code in your government services app (hold it to the scanner)</source>
            <translation>或出示政務服務 App 中的電子身份憑證動態碼（對準掃碼口）</translation>
        </message>
        <message>
            <source>The ID card cannot be used for this service here now</source>
            <translation>此業務暫時不能在本機使用身份證辦理</translation>
        </message>
        <message>
            <source>Lay the card flat on the reader and leave it there until it has been read. Then look at the camera: your face is compared with the photo on the card.</source>
            <translation>請將身份證平放在讀卡區，讀取完成前不要移開。隨後請看攝像頭：系統將把您的面部與證件照片進行比對。</translation>
        </message>
        <message>
            <source>The camera for the face check is not working. Please show the e-credential QR code from your government services app, or go to the staffed window.</source>
            <translation>人臉核驗攝像頭暫時無法使用。請出示政務服務 App 中的電子身份憑證動態碼，或前往人工窗口辦理。</translation>
        </message>
        <message>
            <source>Please show the e-credential QR code from your government services app</source>
            <translation>請出示政務服務 App 中的電子身份憑證動態碼</translation>
        </message>
        <message>
            <source>Checking your e-credential…</source>
            <translation>正在核驗您的電子身份憑證…</translation>
        </message>
        <message>
            <source>This e-credential QR code has been used already. Please refresh it in your government services app and show the new code.</source>
            <translation>這個電子身份憑證動態碼已使用過。請在政務服務 App 中刷新，出示新的動態碼。</translation>
        </message>
        <message>
            <source>This e-credential QR code has expired (it is valid for one minute). Please refresh it in your app and show it again.</source>
            <translation>這個電子身份憑證動態碼已過期（有效期 1 分鐘）。請在 App 中刷新後重新出示。</translation>
        </message>
        <message>
            <source>This e-credential QR code is not valid. Please open the e-credential in your government services app again, or use your ID card.</source>
            <translation>這個電子身份憑證動態碼無效。請在政務服務 App 中重新打開電子身份憑證，或使用身份證。</translation>
        </message>
        <message>
            <source>The e-credential cannot be checked right now. Please try again in a moment, use your ID card, or go to the staffed window.</source>
            <translation>電子身份憑證暫時無法核驗。請稍後重試，或使用身份證，或前往人工窗口辦理。</translation>
        </message>
    </context>
    <context>
        <name>Keypad</name>
        <message>
            <location filename="../../screens/keypad.py" line="310" />
            <source>There is no number to type here. Use the arrow keys and Enter.</source>
            <translation>這裡不需要輸入數字。請用方向鍵和確認鍵操作。</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="287" />
            <source>Finish and clear everything? Press Cancel again or Enter to finish; an arrow key to stay.</source>
            <translation>結束並清除全部信息嗎？再按一次取消鍵或按確認鍵結束；按方向鍵留在這裡。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/keypad.py" line="426" />
            <source>ID number field, %n character(s) typed. Type the digits; Clear deletes one.</source>
            <translation>
                <numerusform>身份證號碼輸入框，已輸入%n個字符。請按數字鍵輸入，清除鍵刪除一位。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="433" />
            <source>{name}, key</source>
            <translation>{name}，按鍵</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="435" />
            <source>{name}, button, selected</source>
            <translation>{name}，按鈕，已選中</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="435" />
            <source>{name}, button</source>
            <translation>{name}，按鈕</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="468" />
            <source>Keypad: arrow keys move, Enter chooses, Cancel goes back, Clear deletes.</source>
            <translation>鍵盤操作：方向鍵移動，確認鍵選擇，取消鍵返回，清除鍵刪除。</translation>
        </message>
    </context>
    <context>
        <name>LetterKeyboard</name>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="83" />
            <source>Chinese</source>
            <translation>漢字輸入</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="84" />
            <source>Type Chinese characters</source>
            <translation>輸入漢字</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="85" />
            <source>Space</source>
            <translation>空格</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="86" />
            <source>Delete last letter</source>
            <translation>刪除一個字母</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="87" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="88" />
            <source>Clear the search</source>
            <translation>清空搜索</translation>
        </message>
        <message>
            <source>ABC</source>
            <translation>ABC 字母</translation>
        </message>
        <message>
            <source>Type Latin letters</source>
            <translation>輸入英文字母</translation>
        </message>
    </context>
    <context>
        <name>NavBar</name>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="238" />
            <source>‹ Back</source>
            <translation>‹ 返回</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="239" />
            <source>Home</source>
            <translation>首頁</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="240" />
            <source>Finish</source>
            <translation>結束辦理</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="241" />
            <source>Finish and clear everything</source>
            <translation>結束辦理並清除全部信息</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="242" />
            <source>Report a problem</source>
            <translation>辦不成事</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="243" />
            <source>Elder mode</source>
            <translation>長輩模式</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="244" />
            <source>Large text and high contrast</source>
            <translation>大字體、高對比度</translation>
        </message>
        <message>
            <source>Call staff</source>
            <translation>呼叫幫辦</translation>
        </message>
        <message>
            <source>Call a staff member to help you</source>
            <translation>呼叫工作人員來幫您</translation>
        </message>
        <message>
            <source>Volume {n}/{total}</source>
            <translation>音量 {n}/{total}</translation>
        </message>
        <message>
            <source>Louder (from the loudest back to the softest)</source>
            <translation>調大音量（最大後回到最小）</translation>
        </message>
        <message>
            <source>Voice</source>
            <translation>語音</translation>
        </message>
        <message>
            <source>Spoken guidance on or off</source>
            <translation>打開或關閉語音播報</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <location filename="../../screens/guide.py" line="178" />
            <source>This terminal is temporarily out of service</source>
            <translation>本終端暫停服務</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="179" />
            <source>Please go to: {place}</source>
            <translation>請前往：{place}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="183" />
            <source>Reference for staff: {code}</source>
            <translation>故障代碼（供工作人員查看）：{code}</translation>
        </message>
        <message>
            <source>Or do it online: scan this code with your phone</source>
            <translation>也可用手機掃碼，在網上辦理</translation>
        </message>
    </context>
    <context>
        <name>ProblemScreen</name>
        <message>
            <location filename="../../screens/problem.py" line="15" />
            <source>My ID card or number is not accepted</source>
            <translation>身份證讀不出或號碼無法輸入</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="16" />
            <source>My records cannot be found</source>
            <translation>查不到我的信息</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="17" />
            <source>My records are wrong</source>
            <translation>查到的信息不對</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="18" />
            <source>It does not print</source>
            <translation>打印不出來</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="19" />
            <source>The terminal is broken</source>
            <translation>設備壞了（屏幕、讀卡器、掃碼）</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="20" />
            <source>The system cannot be reached</source>
            <translation>系統連不上</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="21" />
            <source>What I need cannot be done here</source>
            <translation>要辦的事這裡辦不了</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="22" />
            <source>I do not know how to use it</source>
            <translation>不會操作</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="23" />
            <source>Something else</source>
            <translation>其他問題</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="81" />
            <source>Could not get it done? Tell us</source>
            <translation>辦不成事？請告訴我們</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="86" />
            <source>Back to the start</source>
            <translation>返回首頁</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="88" />
            <source>Choose what went wrong. You will get a number and where to go; staff will help you there.</source>
            <translation>請選擇遇到的問題。您將獲得一個編號和去處，工作人員會在那裡為您辦理。</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="91" />
            <source>Thank you. Your report has been recorded.</source>
            <translation>謝謝，您反映的問題已記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="92" />
            <source>Your number</source>
            <translation>您的編號</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="95" />
            <source>Please go to: {place}</source>
            <translation>請前往：{place}</translation>
        </message>
        <message>
            <source>Choose what went wrong.</source>
            <translation>請選擇遇到的問題。</translation>
        </message>
    </context>
    <context>
        <name>RatingPanel</name>
        <message>
            <location filename="../../screens/widgets/rating.py" line="13" />
            <source>Very satisfied</source>
            <translation>非常滿意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="14" />
            <source>Satisfied</source>
            <translation>滿意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="15" />
            <source>Basically satisfied</source>
            <translation>基本滿意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="16" />
            <source>Dissatisfied</source>
            <translation>不滿意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="17" />
            <source>Very dissatisfied</source>
            <translation>非常不滿意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="23" />
            <source>Took too long</source>
            <translation>等候或辦理時間長</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="24" />
            <source>Hard to use</source>
            <translation>操作複雜，不會用</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="25" />
            <source>Instructions unclear</source>
            <translation>指引或說明看不懂</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="26" />
            <source>Results not right</source>
            <translation>查詢結果不準確</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="27" />
            <source>Could not get it done</source>
            <translation>事情沒辦成</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="28" />
            <source>Printing problem</source>
            <translation>打印出錯或不清楚</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="29" />
            <source>Terminal fault</source>
            <translation>設備故障</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="30" />
            <source>Staff service</source>
            <translation>幫辦人員服務不好</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="31" />
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="101" />
            <source>Please choose at least one reason.</source>
            <translation>請至少選擇一項原因。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="122" />
            <source>How was the service today?</source>
            <translation>您對本次服務滿意嗎？</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="125" />
            <source>What went wrong? Choose one or more.</source>
            <translation>哪裡不滿意？可多選。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="128" />
            <source>Skip</source>
            <translation>跳過</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="129" />
            <source>Submit rating</source>
            <translation>提交評價</translation>
        </message>
    </context>
    <context>
        <name>ReceiptPanel</name>
        <message>
            <location filename="../../screens/widgets/receipt_panel.py" line="16" />
            <source>Virtual receipt printer</source>
            <translation>虛擬憑條打印機</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/receipt_panel.py" line="18" />
            <source>Last receipt printed</source>
            <translation>最近打印的憑條</translation>
        </message>
    </context>
    <context>
        <name>RecordsView</name>
        <message>
            <location filename="../../screens/flow_views.py" line="75" />
            <source>{amount} yuan</source>
            <translation>{amount} 元</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/flow_views.py" line="92" />
            <source>%n month(s)</source>
            <translation>
                <numerusform>%n 個月</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="285" />
            <source>Earlier choices</source>
            <translation>向前查看更多選項</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="286" />
            <source>More choices</source>
            <translation>向後查看更多選項</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="370" />
            <source>‹ Previous page</source>
            <translation>‹ 上一頁</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="371" />
            <source>Next page ›</source>
            <translation>下一頁 ›</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="374" />
            <source>Page {page} of {pages}</source>
            <translation>第 {page} 頁 / 共 {pages} 頁</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="489" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="490" />
            <source>ID number</source>
            <translation>公民身份號碼</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="559" />
            <source>Social insurance enrolment</source>
            <translation>社會保險參保情況</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="560" />
            <source>Insurance enrolments</source>
            <translation>參保險種</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="563" />
            <location filename="../../screens/flow_views.py" line="641" />
            <source>Insured in</source>
            <translation>參保地</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="564" />
            <source>Data as of</source>
            <translation>數據截至</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="567" />
            <location filename="../../screens/flow_views.py" line="602" />
            <location filename="../../screens/flow_views.py" line="635" />
            <source>Insurance</source>
            <translation>險種</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="568" />
            <location filename="../../screens/flow_views.py" line="636" />
            <source>Status</source>
            <translation>參保狀態</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="569" />
            <location filename="../../screens/flow_views.py" line="638" />
            <source>Start month</source>
            <translation>參保起始年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="570" />
            <location filename="../../screens/flow_views.py" line="640" />
            <source>Months paid</source>
            <translation>累計繳費月數</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="573" />
            <source>No enrolment on record.</source>
            <translation>沒有參保記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="592" />
            <source>Social insurance contributions</source>
            <translation>社會保險個人繳費明細</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="594" />
            <location filename="../../screens/flow_views.py" line="746" />
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="597" />
            <source>Insurance type</source>
            <translation>險種</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="598" />
            <source>All types</source>
            <translation>全部險種</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="601" />
            <location filename="../../screens/flow_views.py" line="673" />
            <location filename="../../screens/flow_views.py" line="749" />
            <source>Month</source>
            <translation>年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="603" />
            <source>Base (yuan)</source>
            <translation>繳費基數（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="604" />
            <location filename="../../screens/flow_views.py" line="750" />
            <source>Personal (yuan)</source>
            <translation>個人部分（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="605" />
            <location filename="../../screens/flow_views.py" line="751" />
            <source>Employer (yuan)</source>
            <translation>單位部分（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="608" />
            <source>No contributions for this year and insurance type.</source>
            <translation>所選年度和險種沒有繳費記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="609" />
            <source>No contributions on record.</source>
            <translation>沒有繳費記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="610" />
            <source>Personal contributions in this selection: {amount}</source>
            <translation>所選範圍個人繳費合計：{amount}</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="631" />
            <source>Medical insurance enrolment</source>
            <translation>醫療保險參保信息</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="639" />
            <source>Last paid month</source>
            <translation>最近繳費年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="666" />
            <source>Medical insurance personal account</source>
            <translation>醫保個人賬戶</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="667" />
            <location filename="../../screens/flow_views.py" line="730" />
            <source>Balance</source>
            <translation>賬戶餘額</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="671" />
            <location filename="../../screens/flow_views.py" line="735" />
            <source>Account number</source>
            <translation>賬號</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="674" />
            <source>All months</source>
            <translation>全部月份</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="676" />
            <source>Credit</source>
            <translation>劃入</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="677" />
            <source>Spending</source>
            <translation>消費</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="679" />
            <source>Time</source>
            <translation>交易時間</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="680" />
            <source>Type</source>
            <translation>類型</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="681" />
            <source>Where</source>
            <translation>交易機構</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="682" />
            <source>Amount (yuan)</source>
            <translation>金額（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="683" />
            <location filename="../../screens/flow_views.py" line="753" />
            <source>Balance after (yuan)</source>
            <translation>餘額（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="686" />
            <source>No transactions in this month.</source>
            <translation>所選月份沒有交易記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="687" />
            <source>No transactions on record.</source>
            <translation>沒有交易記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="688" />
            <source>Credited: {credits}    Spent: {spending}</source>
            <translation>劃入合計：{credits}　　消費合計：{spending}</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="723" />
            <source>Normal</source>
            <translation>正常</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="724" />
            <source>Sealed</source>
            <translation>封存</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="725" />
            <source>Closed</source>
            <translation>銷戶</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="729" />
            <source>Housing provident fund</source>
            <translation>住房公積金</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="731" />
            <source>Account details</source>
            <translation>賬戶信息</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="736" />
            <source>Account status</source>
            <translation>賬戶狀態</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="739" />
            <source>Employer</source>
            <translation>繳存單位</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="740" />
            <source>Contribution base</source>
            <translation>繳存基數</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="741" />
            <source>Contribution rates</source>
            <translation>繳存比例</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="742" />
            <source>Personal {personal}% · Employer {employer}%</source>
            <translation>個人 {personal}% · 單位 {employer}%</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="744" />
            <source>Account opened</source>
            <translation>開戶年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="752" />
            <source>Total (yuan)</source>
            <translation>合計（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="756" />
            <source>No deposits in this year.</source>
            <translation>所選年度沒有繳存記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="757" />
            <source>No deposits on record.</source>
            <translation>沒有繳存記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="820" />
            <source>Property {n}</source>
            <translation>第 {n} 處</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="822" />
            <source>Mortgaged and seized</source>
            <translation>抵押、查封</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="824" />
            <source>Mortgaged</source>
            <translation>抵押</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="826" />
            <source>Seized</source>
            <translation>查封</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="828" />
            <source>None</source>
            <translation>無</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="831" />
            <source>Certificate number</source>
            <translation>不動產權證書號</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="832" />
            <source>Location</source>
            <translation>坐落</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="833" />
            <source>Usage</source>
            <translation>用途</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="834" />
            <source>Floor area</source>
            <translation>建築面積</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="835" />
            <source>{area} m²</source>
            <translation>{area} 平方米</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="836" />
            <source>Right type</source>
            <translation>權利類型</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="837" />
            <source>Ownership</source>
            <translation>共有情況</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="838" />
            <source>Registered on</source>
            <translation>登記日期</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="839" />
            <source>Restrictions</source>
            <translation>權利限制</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="846" />
            <source>Real estate registrations</source>
            <translation>不動產登記信息</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/flow_views.py" line="851" />
            <source>%n property(ies) registered in your name</source>
            <translation>
                <numerusform>您名下共登記 %n 處不動產</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="857" />
            <source>No real estate is registered in your name.</source>
            <translation>您名下沒有不動產登記記錄。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="859" />
            <source>In the next step you can print a certificate of no registered property.</source>
            <translation>下一步可以打印無房產登記證明（無房證明）。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="933" />
            <source>Your queue number</source>
            <translation>您的排隊號</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="937" />
            <source>When your number is called, please go to {window}</source>
            <translation>叫到您的號碼後，請到 {window} 辦理</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/flow_views.py" line="942" />
            <source>%n person(s) ahead of you</source>
            <translation>
                <numerusform>前面還有 %n 人</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="943" />
            <source>Taken at {time}</source>
            <translation>取號時間 {time}</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="945" />
            <source>Scan to follow the queue</source>
            <translation>掃碼查看排隊進度</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1001" />
            <source>Service guide</source>
            <translation>辦事指南</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1002" />
            <source>Materials to bring</source>
            <translation>所需材料</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1003" />
            <source>Where to go</source>
            <translation>辦理地點</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1004" />
            <source>Scan to read this guide online</source>
            <translation>掃碼在線查看辦事指南</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1007" />
            <source>original ×{n}</source>
            <translation>原件 {n} 份</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1008" />
            <source>copy ×{n}</source>
            <translation>複印件 {n} 份</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1017" />
            <source>No materials needed.</source>
            <translation>無需提交材料。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1019" />
            <source>Place</source>
            <translation>地點</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1020" />
            <source>Window</source>
            <translation>窗口</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1021" />
            <source>Hours</source>
            <translation>辦公時間</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1022" />
            <source>Phone</source>
            <translation>諮詢電話</translation>
        </message>
        <message>
            <source>Social insurance records</source>
            <translation>社保記錄</translation>
        </message>
        <message>
            <source>Medical insurance account</source>
            <translation>醫保賬戶</translation>
        </message>
        <message>
            <source>This list of lookups</source>
            <translation>查詢記錄本身</translation>
        </message>
        <message>
            <source>Issued: {document}</source>
            <translation>開具：{document}</translation>
        </message>
        <message>
            <source>ID card and face check</source>
            <translation>身份證＋人臉核驗</translation>
        </message>
        <message>
            <source>E-credential QR code</source>
            <translation>電子身份憑證動態碼</translation>
        </message>
        <message>
            <source>With staff ({staff})</source>
            <translation>工作人員協助（{staff}）</translation>
        </message>
        <message>
            <source>Not verified</source>
            <translation>未核驗</translation>
        </message>
        <message>
            <source>Who looked at my records</source>
            <translation>近期查詢記錄</translation>
        </message>
        <message>
            <source>What</source>
            <translation>查詢內容</translation>
        </message>
        <message>
            <source>Verified by</source>
            <translation>核驗方式</translation>
        </message>
        <message>
            <source>No one has looked up your records recently.</source>
            <translation>近期沒有人查詢過您的信息。</translation>
        </message>
        <message>
            <source>A lookup you do not recognise? Report it at the staffed window: staff can see which terminal it was.</source>
            <translation>如有您不認識的查詢，請到人工窗口反映：工作人員可以查到是哪臺終端。</translation>
        </message>
        <message>
            <source>When</source>
            <translation>查詢時間</translation>
        </message>
        <message>
            <source>At which terminal</source>
            <translation>查詢地點（終端）</translation>
        </message>
        <message>
            <source>Every lookup of your records at a self-service terminal is recorded: when, where, what and how the person was verified.</source>
            <translation>您的信息在自助終端上的每一次查詢都有記錄：時間、地點、查詢內容和身份核驗方式。</translation>
        </message>
    </context>
    <context>
        <name>SearchScreen</name>
        <message>
            <location filename="../../screens/search.py" line="107" />
            <source>Type pinyin initials (e.g. sbcb for 社保参保), or tap Chinese to write characters.</source>
            <translation>輸入拼音首字母（如 sbcb 即“社保參保”），或點“漢字輸入”寫漢字。</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="109" />
            <source>Nothing found. Try fewer letters, or browse by department.</source>
            <translation>沒有找到相關事項。請少輸入幾個字母，或按部門查找。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/search.py" line="111" />
            <source>%n service(s) found</source>
            <translation>
                <numerusform>找到 %n 個事項</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="134" />
            <source>Search services</source>
            <translation>搜索事項</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="135" />
            <source>Pinyin initials, pinyin or Chinese</source>
            <translation>拼音首字母、全拼或漢字</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="136" />
            <source>Search text</source>
            <translation>搜索內容</translation>
        </message>
        <message>
            <source>Type the first letters of the pinyin of what you need.</source>
            <translation>請輸入您要辦理事項的拼音首字母。</translation>
        </message>
    </context>
    <context>
        <name>StatusBar</name>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="126" />
            <source>● Catalog: on this terminal</source>
            <translation>● 事項目錄：本機</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="129" />
            <source>● Online</source>
            <translation>● 已聯網</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="132" />
            <source> · synced {time}</source>
            <translation> · {time} 已同步</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="134" />
            <source>● Connecting…</source>
            <translation>● 正在連接…</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="136" />
            <source>● Offline</source>
            <translation>● 網絡中斷</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="138" />
            <source>● Not enrolled</source>
            <translation>● 終端未註冊</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="140" />
            <source>● Service problem</source>
            <translation>● 服務異常</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/widgets/chrome.py" line="142" />
            <source> · %n to send</source>
            <translation>
                <numerusform> · %n 條待上傳</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="147" />
            <source>Network status</source>
            <translation>網絡狀態</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="150" />
            <source>● Printer: none</source>
            <translation>● 打印機：未配置</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="152" />
            <source>● Printer: paper low</source>
            <translation>● 打印機：紙將用完</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="154" />
            <source>● Printer: ready</source>
            <translation>● 打印機：正常</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="156" />
            <source>● Printer: out of paper</source>
            <translation>● 打印機：缺紙</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="158" />
            <source>● Printer: not working</source>
            <translation>● 打印機：故障</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="160" />
            <source>Device status</source>
            <translation>外設狀態</translation>
        </message>
    </context>
    <context>
        <name>FaceCheck</name>
        <message>
            <source>Please look straight at the camera</source>
            <translation>請正視攝像頭</translation>
        </message>
        <message>
            <source>Keep your face inside the oval and hold still for a moment. Please take off a hat, mask or sunglasses.</source>
            <translation>請將面部置於橢圓框內，保持不動片刻。請摘下帽子、口罩或墨鏡。</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在核驗…</translation>
        </message>
        <message>
            <source>Please hold still.</source>
            <translation>請保持不動。</translation>
        </message>
        <message>
            <source>Thank you, you are verified</source>
            <translation>核驗通過，謝謝</translation>
        </message>
        <message>
            <source>Your face does not match the photo on the card</source>
            <translation>人臉與證件照片不一致</translation>
        </message>
        <message>
            <source>Please face the camera directly in good light, without a hat, mask or sunglasses, and try again. Only the card's holder can use it.</source>
            <translation>請在光線充足處正對攝像頭，摘下帽子、口罩或墨鏡後重試。身份證僅限本人使用。</translation>
        </message>
        <message>
            <source>A photo or a screen was detected</source>
            <translation>檢測到照片或屏幕</translation>
        </message>
        <message>
            <source>Please look at the camera yourself, not a photo or a phone, and try again.</source>
            <translation>請本人直接面對攝像頭，不要使用照片或手機，然後重試。</translation>
        </message>
        <message>
            <source>No face was seen</source>
            <translation>未檢測到人臉</translation>
        </message>
        <message>
            <source>Please stand in front of the screen, look at the camera and try again.</source>
            <translation>請站在屏幕前方，看著攝像頭，然後重試。</translation>
        </message>
        <message>
            <source>The photo on your card could not be read</source>
            <translation>未能讀取證件中的照片</translation>
        </message>
        <message>
            <source>Please place the card on the reader again, show the e-credential QR code from your government services app, or go to: {place}</source>
            <translation>請重新放置身份證，或出示政務服務 App 中的電子身份憑證動態碼，或前往：{place}</translation>
        </message>
        <message>
            <source>Face verification did not succeed</source>
            <translation>人臉核驗未通過</translation>
        </message>
        <message>
            <source>For your safety no more tries are possible here. Please go to: {place}, or call a member of staff.</source>
            <translation>為保障您的信息安全，本機不能再次嘗試。請前往：{place}，或呼叫工作人員。</translation>
        </message>
        <message>
            <source>The face check is not working right now</source>
            <translation>人臉核驗暫時無法使用</translation>
        </message>
        <message>
            <source>Please show the e-credential QR code from your government services app, or go to: {place}</source>
            <translation>請出示政務服務 App 中的電子身份憑證動態碼，或前往：{place}</translation>
        </message>
        <message>
            <source>Try {n} of {total}</source>
            <translation>第 {n} 次，共 {total} 次</translation>
        </message>
        <message>
            <source>ID: {masked}</source>
            <translation>身份證：{masked}</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>重試</translation>
        </message>
        <message>
            <source>Call a member of staff</source>
            <translation>呼叫工作人員</translation>
        </message>
        <message>
            <source>Use another way</source>
            <translation>換一種方式</translation>
        </message>
    </context>
    <context>
        <name>StaffBanner</name>
        <message>
            <source>Staff member {name} is serving you</source>
            <translation>工作人員 {name} 正在為您服務</translation>
        </message>
        <message>
            <source>Staff tools</source>
            <translation>工作人員工具</translation>
        </message>
        <message>
            <source>Staff log out</source>
            <translation>工作人員退出</translation>
        </message>
    </context>
    <context>
        <name>StaffLogin</name>
        <message>
            <source>This staff account has expired or is disabled. Please ask the hall's administrator.</source>
            <translation>該工作人員賬號已過期或已停用，請聯繫大廳管理員。</translation>
        </message>
        <message>
            <source>This badge is not known on this terminal. Log in with your staff number and PIN.</source>
            <translation>本終端無法識別該工作證，請用工號和密碼登錄。</translation>
        </message>
        <message>
            <source>This terminal has no staff list yet. Try again once it is online.</source>
            <translation>本終端尚未收到工作人員名單，請聯網後再試。</translation>
        </message>
        <message>
            <source>Staff number: {number}</source>
            <translation>工號：{number}</translation>
        </message>
        <message>
            <source>PIN: {dots}</source>
            <translation>密碼：{dots}</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在核驗…</translation>
        </message>
        <message>
            <source>Staff login</source>
            <translation>工作人員登錄</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Log in</source>
            <translation>登錄</translation>
        </message>
        <message numerus="yes">
            <source>Staff number or PIN is wrong: %n more try(s).</source>
            <translation>
                <numerusform>工號或密碼錯誤，還可嘗試 %n 次。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Too many wrong PINs: locked for %n minute(s).</source>
            <translation>
                <numerusform>密碼錯誤次數過多，該工號已鎖定，請 %n 分鐘後再試。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>StaffTools</name>
        <message>
            <source>{name} ({number}), {role}</source>
            <translation>{name}（工號 {number}），{role}</translation>
        </message>
        <message>
            <source>Serve a citizen</source>
            <translation>為群眾辦理</translation>
        </message>
        <message>
            <source>Reprint (补打)</source>
            <translation>補打</translation>
        </message>
        <message>
            <source>Nothing to reprint from the last {minutes} minutes.</source>
            <translation>最近 {minutes} 分鐘內沒有可補打的打印件。</translation>
        </message>
        <message>
            <source>Reprint {title} ({time})</source>
            <translation>補打：{title}（{time}）</translation>
        </message>
        <message>
            <source>Printers</source>
            <translation>打印機</translation>
        </message>
        <message>
            <source>Receipt printer refilled / fixed: check it again</source>
            <translation>憑條打印機已補紙/修復：重新檢測</translation>
        </message>
        <message>
            <source>A4 printer refilled / fixed: check it again</source>
            <translation>A4 打印機已補紙/修復：重新檢測</translation>
        </message>
        <message>
            <source>End the citizen's session</source>
            <translation>結束當前群眾的辦理</translation>
        </message>
        <message>
            <source>Audit log: BROKEN ({problem})</source>
            <translation>審計日誌：鏈已損壞（{problem}）</translation>
        </message>
        <message>
            <source>Reprint sent, marked 补打.</source>
            <translation>已發送補打，紙上標有“補打”。</translation>
        </message>
        <message>
            <source>This job can no longer be reprinted.</source>
            <translation>該打印件已不能補打。</translation>
        </message>
        <message>
            <source>The printer is being checked again.</source>
            <translation>正在重新檢測打印機。</translation>
        </message>
        <message>
            <source>Staff tools</source>
            <translation>工作人員工具</translation>
        </message>
        <message>
            <source>Back to the citizen</source>
            <translation>返回群眾辦理</translation>
        </message>
        <message>
            <source>Log out</source>
            <translation>退出登錄</translation>
        </message>
        <message numerus="yes">
            <source>%n prompt(s) could not be spoken.</source>
            <translation>
                <numerusform>%n 條語音提示未能播報。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Audit log: %n entries, chain intact.</source>
            <translation>
                <numerusform>審計日誌：共 %n 條，哈希鏈完整。</numerusform>
            </translation>
        </message>
        <message>
            <source>Silent: no speech engine ({detail}).</source>
            <translation>無聲：沒有語音引擎（{detail}）。</translation>
        </message>
        <message>
            <source>Silent: no audio output device. The terminal works without voice.</source>
            <translation>無聲：沒有音頻輸出設備。終端在無語音狀態下照常工作。</translation>
        </message>
        <message>
            <source>Working ({engine}).</source>
            <translation>正常（{engine}）。</translation>
        </message>
        <message>
            <source>Voice guidance (语音)</source>
            <translation>語音播報</translation>
        </message>
    </context>
    <context>
        <name>StaffRole</name>
        <message>
            <source>Helper</source>
            <translation>幫辦</translation>
        </message>
        <message>
            <source>Shift lead</source>
            <translation>值班長</translation>
        </message>
        <message>
            <source>Technician</source>
            <translation>技術員</translation>
        </message>
        <message>
            <source>Auditor</source>
            <translation>審計員</translation>
        </message>
    </context>
    <context>
        <name>HelpBar</name>
        <message>
            <source>Calling staff…</source>
            <translation>正在呼叫工作人員…</translation>
        </message>
        <message>
            <source>Staff have been called and will come to you. Please wait here.</source>
            <translation>已呼叫工作人員，請在此稍候。</translation>
        </message>
        <message>
            <source>Staff member {name} is on the way</source>
            <translation>工作人員 {name} 正在趕來</translation>
        </message>
        <message>
            <source>(name not given)</source>
            <translation>（未留姓名）</translation>
        </message>
        <message>
            <source>Staff cannot be called from this terminal right now. Please go to: {place}. Nothing you have done here is lost.</source>
            <translation>本機暫時無法呼叫工作人員，請前往：{place}。您在本機辦理的內容不會丟失。</translation>
        </message>
        <message>
            <source>Staff have closed your call for help.</source>
            <translation>工作人員已處理您的求助。</translation>
        </message>
        <message>
            <source>Screen shared · End</source>
            <translation>屏幕共享中 · 結束</translation>
        </message>
        <message>
            <source>Staff see this screen. Tap to end it.</source>
            <translation>工作人員正在查看本屏幕，點按即可結束。</translation>
        </message>
        <message>
            <source>Cancel the call</source>
            <translation>取消呼叫</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>知道了</translation>
        </message>
    </context>
    <context>
        <name>RemoteViewConsent</name>
        <message>
            <source>Staff ask to see your screen</source>
            <translation>工作人員請求查看您的屏幕</translation>
        </message>
        <message>
            <source>To help you from where they are, staff would see what this screen shows. Your name and ID number are covered. You can end it at any time.</source>
            <translation>為遠程幫您辦理，工作人員將看到本屏幕顯示的內容。您的姓名和身份證號會被遮擋，您可隨時結束。</translation>
        </message>
        <message>
            <source>Allow</source>
            <translation>允許</translation>
        </message>
        <message>
            <source>Refuse</source>
            <translation>拒絕</translation>
        </message>
    </context>
    <context>
        <name>Maintenance</name>
        <message numerus="yes">
            <source>Review %n change(s)</source>
            <translation>
                <numerusform>查看 %n 項修改</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Exported %n file(s) to {folder}.</source>
            <translation>
                <numerusform>已導出 %n 個文件到 {folder}。</numerusform>
            </translation>
        </message>
        <message>
            <source>Back</source>
            <translation>返回</translation>
        </message>
        <message>
            <source>Maintenance</source>
            <translation>維護</translation>
        </message>
        <message>
            <source>Terminal {terminal} is out of service while you work. Technician {number}.</source>
            <translation>維護期間終端 {terminal} 暫停服務。技術員 {number}。</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>參數配置</translation>
        </message>
        <message>
            <source>Diagnostics</source>
            <translation>設備診斷</translation>
        </message>
        <message>
            <source>Counters and paper</source>
            <translation>計數與紙張</translation>
        </message>
        <message>
            <source>Enrolment</source>
            <translation>終端註冊</translation>
        </message>
        <message>
            <source>Export logs to USB stick</source>
            <translation>導出日誌到 U 盤</translation>
        </message>
        <message>
            <source>Restart to apply</source>
            <translation>重啟生效</translation>
        </message>
        <message>
            <source>Back in service</source>
            <translation>恢復服務</translation>
        </message>
        <message>
            <source>Log out, stay out of service</source>
            <translation>退出登錄，保持暫停服務</translation>
        </message>
        <message>
            <source>The configuration cannot be edited here: {reason}</source>
            <translation>無法在此修改配置：{reason}</translation>
        </message>
        <message>
            <source>Roll back to the previous file</source>
            <translation>回退到上一版配置</translation>
        </message>
        <message>
            <source>Default: {default}</source>
            <translation>默認值：{default}</translation>
        </message>
        <message>
            <source>On</source>
            <translation>開</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>關</translation>
        </message>
        <message>
            <source>Check and keep</source>
            <translation>校驗並暫存</translation>
        </message>
        <message>
            <source>Changes to save</source>
            <translation>待保存的修改</translation>
        </message>
        <message>
            <source>The previous file is kept; the kiosk restarts to apply the changes.</source>
            <translation>上一版配置文件會保留；終端重啟後修改生效。</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Saved. Restart to apply.</source>
            <translation>已保存，重啟後生效。</translation>
        </message>
        <message>
            <source>The previous file is back. Restart to apply.</source>
            <translation>已恢復上一版配置，重啟後生效。</translation>
        </message>
        <message>
            <source>Each test is recorded in the audit log.</source>
            <translation>每項測試都記入審計日誌。</translation>
        </message>
        <message>
            <source>Receipt printer self-test</source>
            <translation>憑條打印機自檢</translation>
        </message>
        <message>
            <source>A4 printer self-test</source>
            <translation>A4 打印機自檢</translation>
        </message>
        <message>
            <source>Test print: receipt</source>
            <translation>測試打印：憑條</translation>
        </message>
        <message>
            <source>Test print: A4</source>
            <translation>測試打印：A4</translation>
        </message>
        <message>
            <source>ID card reader: read a card</source>
            <translation>身份證閱讀器：讀卡測試</translation>
        </message>
        <message>
            <source>QR scanner: scan a code</source>
            <translation>掃碼器：掃碼測試</translation>
        </message>
        <message>
            <source>Touch check</source>
            <translation>觸摸校準檢查</translation>
        </message>
        <message>
            <source>Screen test</source>
            <translation>屏幕測試</translation>
        </message>
        <message>
            <source>Speaker test</source>
            <translation>揚聲器測試</translation>
        </message>
        <message>
            <source>Network, TLS and clock</source>
            <translation>網絡、TLS 證書與時鐘</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation>正在測試…</translation>
        </message>
        <message>
            <source>Place an ID card on the reader…</source>
            <translation>請將身份證放在閱讀器上…</translation>
        </message>
        <message>
            <source>Scan any QR code now…</source>
            <translation>請掃描任意二維碼…</translation>
        </message>
        <message>
            <source>Did each colour fill the whole screen evenly, without dead pixels?</source>
            <translation>每種顏色是否均勻鋪滿整個屏幕，沒有壞點？</translation>
        </message>
        <message>
            <source>Did you hear a tone from the speaker?</source>
            <translation>是否聽到揚聲器發出的提示音？</translation>
        </message>
        <message>
            <source>No sound output could be opened. Did you hear a tone?</source>
            <translation>無法打開聲音輸出。是否聽到提示音？</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>No</source>
            <translation>否</translation>
        </message>
        <message>
            <source>Since the last paper change for paper; since installation for the rest.</source>
            <translation>紙張計數自上次換紙起算；其餘計數自安裝起算。</translation>
        </message>
        <message>
            <source>Citizen sessions</source>
            <translation>群眾辦理次數</translation>
        </message>
        <message>
            <source>Receipts printed</source>
            <translation>已打印憑條</translation>
        </message>
        <message>
            <source>A4 documents printed</source>
            <translation>已打印 A4 文書</translation>
        </message>
        <message>
            <source>Receipts on this roll</source>
            <translation>本捲紙已打印憑條</translation>
        </message>
        <message>
            <source>A4 jobs on this paper load</source>
            <translation>本次裝紙已打印 A4</translation>
        </message>
        <message>
            <source>Errors</source>
            <translation>故障次數</translation>
        </message>
        <message>
            <source>Receipt paper changed</source>
            <translation>憑條紙已更換</translation>
        </message>
        <message>
            <source>A4 paper changed</source>
            <translation>A4 紙已補充</translation>
        </message>
        <message>
            <source>Paper counter reset (recorded).</source>
            <translation>紙張計數已清零（已記錄）。</translation>
        </message>
        <message>
            <source>This terminal is enrolled. A new one-time code from the fleet console enrols it again.</source>
            <translation>本終端已註冊。輸入運維控制台生成的新一次性註冊碼可重新註冊。</translation>
        </message>
        <message>
            <source>Type the one-time code from the fleet console.</source>
            <translation>請輸入運維控制台生成的一次性註冊碼。</translation>
        </message>
        <message>
            <source>Enrol</source>
            <translation>註冊</translation>
        </message>
        <message>
            <source>Enrolling…</source>
            <translation>正在註冊…</translation>
        </message>
        <message>
            <source>Enrolled.</source>
            <translation>註冊成功。</translation>
        </message>
        <message>
            <source>Enrolment refused: {reason}</source>
            <translation>註冊被拒絕：{reason}</translation>
        </message>
        <message>
            <source>Into {folder}. ID and phone numbers are masked; a SHA256SUMS manifest is written last.</source>
            <translation>導出到 {folder}。身份證號和手機號已脫敏；最後寫入 SHA256SUMS 校驗清單。</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>導出</translation>
        </message>
        <message>
            <source>No USB stick found at {folder}.</source>
            <translation>未在 {folder} 找到 U 盤。</translation>
        </message>
        <message>
            <source>Exporting…</source>
            <translation>正在導出…</translation>
        </message>
        <message>
            <source>The export did not finish (was the stick removed?). Nothing on the stick is marked complete; export again.</source>
            <translation>導出未完成（U 盤是否被拔出？）。U 盤上沒有標記為完整的文件，請重新導出。</translation>
        </message>
        <message>
            <source>the backend cannot be reached</source>
            <translation>無法連接後臺</translation>
        </message>
        <message>
            <source>the code is wrong, used or expired</source>
            <translation>註冊碼錯誤、已使用或已過期</translation>
        </message>
        <message>
            <source>the code was issued for another terminal</source>
            <translation>該註冊碼是為其他終端生成的</translation>
        </message>
        <message>
            <source>this terminal does not sync</source>
            <translation>本終端未啟用同步</translation>
        </message>
        <message>
            <source>no code typed</source>
            <translation>未輸入註冊碼</translation>
        </message>
        <message>
            <source>Technician login</source>
            <translation>技術員登錄</translation>
        </message>
        <message>
            <source>A citizen is being served. The terminal goes into maintenance as soon as they are done; log in again then.</source>
            <translation>正在為群眾辦理業務。辦理結束後終端將進入維護狀態，屆時請重新登錄。</translation>
        </message>
        <message>
            <source>Only technicians may open the maintenance panel.</source>
            <translation>只有技術員可以打開維護面板。</translation>
        </message>
        <message>
            <source>{path}: tap an option to change it. Options set centrally cannot be changed here.</source>
            <translation>{path}：點按參數進行修改。中心統一配置的參數不能在此修改。</translation>
        </message>
        <message>
            <source>(set centrally)</source>
            <translation>（中心統一配置）</translation>
        </message>
        <message>
            <source>{name}: {value}</source>
            <translation>{name}：{value}</translation>
        </message>
    </context>
    <context>
        <name>MaintenanceCheck</name>
        <message>
            <source>Receipt printer</source>
            <translation>憑條打印機</translation>
        </message>
        <message>
            <source>A4 printer</source>
            <translation>A4 打印機</translation>
        </message>
        <message>
            <source>ID card reader</source>
            <translation>身份證閱讀器</translation>
        </message>
        <message>
            <source>QR scanner</source>
            <translation>掃碼器</translation>
        </message>
        <message>
            <source>Touch screen</source>
            <translation>觸摸屏</translation>
        </message>
        <message>
            <source>Screen</source>
            <translation>屏幕</translation>
        </message>
        <message>
            <source>Speaker</source>
            <translation>揚聲器</translation>
        </message>
        <message>
            <source>Backend</source>
            <translation>後臺</translation>
        </message>
        <message>
            <source>TLS certificate</source>
            <translation>TLS 證書</translation>
        </message>
        <message>
            <source>Clock</source>
            <translation>時鐘</translation>
        </message>
        <message>
            <source>Sync</source>
            <translation>同步</translation>
        </message>
        <message>
            <source>Disk</source>
            <translation>磁盤</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>內存</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Fault</source>
            <translation>故障</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>離線</translation>
        </message>
        <message>
            <source>Not fitted</source>
            <translation>未配置</translation>
        </message>
        <message>
            <source>not configured on this terminal</source>
            <translation>本終端未配置該設備</translation>
        </message>
        <message>
            <source>paper nearly out</source>
            <translation>紙將用盡</translation>
        </message>
        <message>
            <source>out of paper</source>
            <translation>缺紙</translation>
        </message>
        <message>
            <source>cover open</source>
            <translation>艙蓋打開</translation>
        </message>
        <message>
            <source>not reachable</source>
            <translation>無法連接</translation>
        </message>
        <message>
            <source>connection lost</source>
            <translation>連接中斷</translation>
        </message>
        <message>
            <source>did not answer in time</source>
            <translation>響應超時</translation>
        </message>
        <message>
            <source>device error</source>
            <translation>設備錯誤</translation>
        </message>
        <message>
            <source>test page sent</source>
            <translation>測試頁已發送</translation>
        </message>
        <message>
            <source>card read: {masked}</source>
            <translation>讀卡成功：{masked}</translation>
        </message>
        <message>
            <source>the card was read incompletely</source>
            <translation>讀卡不完整</translation>
        </message>
        <message>
            <source>the card could not be read</source>
            <translation>無法讀取該卡</translation>
        </message>
        <message>
            <source>the card was removed during the read</source>
            <translation>讀卡過程中卡被移開</translation>
        </message>
        <message>
            <source>no card was placed</source>
            <translation>未放卡</translation>
        </message>
        <message>
            <source>code scanned ({kind}, {length} characters)</source>
            <translation>已掃碼（{kind}，{length} 個字符）</translation>
        </message>
        <message>
            <source>an empty code was scanned</source>
            <translation>掃到空碼</translation>
        </message>
        <message>
            <source>every tap on target (worst {worst_px} px)</source>
            <translation>每次點按均在目標內（最大偏差 {worst_px} 像素）</translation>
        </message>
        <message>
            <source>taps off target by up to {worst_px} px: calibrate the touch screen</source>
            <translation>點按偏離目標最多 {worst_px} 像素：請校準觸摸屏</translation>
        </message>
        <message>
            <source>not finished</source>
            <translation>未完成</translation>
        </message>
        <message>
            <source>confirmed by the technician</source>
            <translation>技術員確認正常</translation>
        </message>
        <message>
            <source>reported faulty by the technician</source>
            <translation>技術員報告異常</translation>
        </message>
        <message>
            <source>reachable ({round_trip_ms} ms)</source>
            <translation>可連接（往返 {round_trip_ms} 毫秒）</translation>
        </message>
        <message>
            <source>unreachable ({reason})</source>
            <translation>無法連接（{reason}）</translation>
        </message>
        <message>
            <source>{offset_s} s off the backend's clock</source>
            <translation>與後臺時鐘相差 {offset_s} 秒</translation>
        </message>
        <message>
            <source>the backend is not reached over HTTPS</source>
            <translation>未通過 HTTPS 連接後臺</translation>
        </message>
        <message>
            <source>certificate not trusted ({reason})</source>
            <translation>證書不受信任（{reason}）</translation>
        </message>
        <message>
            <source>valid, {days_left} days left</source>
            <translation>有效，剩餘 {days_left} 天</translation>
        </message>
        <message>
            <source>no expiry date</source>
            <translation>無有效期</translation>
        </message>
        <message>
            <source>catalog {catalog_cursor}, {pending} events waiting, last push {last_push}</source>
            <translation>事項目錄版本 {catalog_cursor}，待上傳 {pending} 條，上次上傳 {last_push}</translation>
        </message>
        <message>
            <source>{free_mb} MB free of {total_mb} MB</source>
            <translation>剩餘 {free_mb} MB，共 {total_mb} MB</translation>
        </message>
        <message>
            <source>{available_mb} MB available, the kiosk uses {rss_mb} MB</source>
            <translation>可用 {available_mb} MB，終端程序佔用 {rss_mb} MB</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>this terminal does not sync</source>
            <translation>本終端未啟用同步</translation>
        </message>
        <message>
            <source>{name}: {level}</source>
            <translation>{name}：{level}</translation>
        </message>
        <message>
            <source>{line} — {detail}</source>
            <translation>{line}——{detail}</translation>
        </message>
        <message>
            <source>Guide videos</source>
            <translation>操作指引視頻</translation>
        </message>
        <message>
            <source>{total} configured, none failed</source>
            <translation>已配置 {total} 個，均可播放</translation>
        </message>
        <message>
            <source>{failed} of {total} cannot be played, the slides are shown instead: {items}</source>
            <translation>{total} 箇中有 {failed} 個無法播放，已改為圖文指引：{items}</translation>
        </message>
    </context>
    <context>
        <name>StepGuide</name>
        <message>
            <source>Tap the kind of business you came for: social insurance, medical insurance, housing fund, real estate or general.</source>
            <translation>點擊您要辦理的業務類型：社保、醫保、公積金、不動產或綜合業務。</translation>
        </message>
        <message>
            <source>Take your queue ticket from the slip outlet and wait until your number is called to the window.</source>
            <translation>從憑條出口取走排隊號票，等候叫號後到窗口辦理。</translation>
        </message>
        <message>
            <source>Check the guide on the screen: materials, steps, place and hours. Then tap “Print”.</source>
            <translation>在屏幕上查看辦事指南：所需材料、辦理流程、地點和時間，然後點擊“打印”。</translation>
        </message>
        <message>
            <source>At home, scan the QR code on the slip with your phone to read the whole guide or to apply online.</source>
            <translation>回家後用手機掃描憑條上的二維碼，即可查看完整指南或在網上申請。</translation>
        </message>
        <message>
            <source>The list shows who looked up your records: when, where and how. Tap the next page to see more.</source>
            <translation>列表顯示誰查詢過您的記錄：時間、地點和方式。點擊下一頁查看更多。</translation>
        </message>
        <message>
            <source>Place your ID card flat on the card reader and leave it there until it is read.</source>
            <translation>將身份證平放在讀卡區，讀取完成前不要移開。</translation>
        </message>
        <message>
            <source>Look straight at the camera above the screen until the face check is done.</source>
            <translation>請正視屏幕上方的攝像頭，直到人臉核驗完成。</translation>
        </message>
        <message>
            <source>Or open the e-credential QR code in your government services app and hold it under the scanner.</source>
            <translation>或者打開手機政務服務 App 中的電子身份憑證動態碼，對準掃碼口。</translation>
        </message>
        <message>
            <source>Or type your ID number on the number pad on the screen.</source>
            <translation>或者在屏幕上的數字鍵盤輸入身份證號碼。</translation>
        </message>
        <message>
            <source>Read what the terminal will look up and print, then tap “I agree, continue”.</source>
            <translation>閱讀終端將要查詢和打印的內容，然後點擊“同意並繼續”。</translation>
        </message>
        <message>
            <source>Your records appear on the screen. Tap a year or the next page to see more.</source>
            <translation>您的記錄顯示在屏幕上。點擊年份或下一頁查看更多。</translation>
        </message>
        <message>
            <source>Check the preview of what will be printed, then tap “Print”.</source>
            <translation>核對打印預覽，然後點擊“打印”。</translation>
        </message>
        <message>
            <source>Check the preview, then tap “Print”, or “Do not print” if you only wanted to look.</source>
            <translation>核對預覽，然後點擊“打印”；只想查看的，點擊“不打印”。</translation>
        </message>
        <message>
            <source>Wait a moment, then take your papers from the A4 printer outlet.</source>
            <translation>稍等片刻，從 A4 打印出口取走您的材料。</translation>
        </message>
        <message>
            <source>Take your slip from the slip outlet under the screen.</source>
            <translation>從屏幕下方的憑條出口取走憑條。</translation>
        </message>
        <message>
            <source>Rate the service (好差评), then tap “Finish and leave” so that the screen is cleared.</source>
            <translation>請對本次服務進行評價（好差評），然後點擊“結束並退出”，屏幕上的信息將被清除。</translation>
        </message>
        <message>
            <source>Open the e-credential QR code in your government services app and hold it under the scanner.</source>
            <translation>打開手機政務服務 App 中的電子身份憑證動態碼，對準掃碼口。</translation>
        </message>
        <message>
            <source>Tap your choice on the screen.</source>
            <translation>在屏幕上點擊您的選擇。</translation>
        </message>
    </context>
    <context>
        <name>StepGuideScreen</name>
        <message>
            <source>A video shows how to do it: {item}.</source>
            <translation>下面用視頻演示如何辦理：{item}。</translation>
        </message>
        <message>
            <source>How to do this: {item}</source>
            <translation>操作指引：{item}</translation>
        </message>
        <message>
            <source>Video of the steps</source>
            <translation>操作視頻</translation>
        </message>
        <message>
            <source>Watch how it is done, then go back and do it.</source>
            <translation>看完視頻後，返回即可開始辦理。</translation>
        </message>
        <message>
            <source>Step {n} of {total}</source>
            <translation>第 {n} 步，共 {total} 步</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暫停</translation>
        </message>
        <message>
            <source>Play</source>
            <translation>播放</translation>
        </message>
        <message>
            <source>Previous step</source>
            <translation>上一步</translation>
        </message>
        <message>
            <source>Next step</source>
            <translation>下一步</translation>
        </message>
        <message>
            <source>Replay from the start</source>
            <translation>從頭播放</translation>
        </message>
        <message>
            <source>Back to where I was</source>
            <translation>返回繼續辦理</translation>
        </message>
    </context>
    <context>
        <name>PinyinBar</name>
        <message>
            <source>Type pinyin, then tap the characters you mean.</source>
            <translation>輸入拼音，再點選要輸入的漢字。</translation>
        </message>
        <message>
            <source>%1: no characters of the services' names match.</source>
            <translation>%1：事項名稱裡沒有與之對應的漢字。</translation>
        </message>
        <message>
            <source>Pinyin: %1</source>
            <translation>拼音：%1</translation>
        </message>
        <message>
            <source>Previous candidates</source>
            <translation>上一頁候選字</translation>
        </message>
        <message>
            <source>More candidates</source>
            <translation>下一頁候選字</translation>
        </message>
    </context>
</TS>
